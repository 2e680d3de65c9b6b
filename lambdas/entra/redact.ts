/**
 * Keeps a secret out of text that may reach a log: messages of vendor errors (an OAuth error can
 * echo the form body), response descriptions, anything we did not write ourselves.
 */
export const REDACTED = '[redacted]';

/** Every spelling the secret can take on the wire: raw, URL-encoded, form-encoded, JSON-escaped. */
function spellings(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ]);
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

export class Redactor {
  private readonly forms: string[];

  constructor(secrets: readonly string[]) {
    // Very short values would redact ordinary words; a real client secret is 40 characters.
    this.forms = secrets.filter((s) => s.length >= 6).flatMap(spellings);
  }

  /** The text with every spelling of every secret replaced by [redacted]. */
  text(value: string): string {
    let out = value;
    for (const form of this.forms) out = out.split(form).join(REDACTED);
    return out;
  }

  /** True when the text still contains a secret (used by tests and as a last guard). */
  leaks(value: string): boolean {
    return this.forms.some((form) => value.includes(form));
  }

  /**
   * A plain, safe summary of a vendor error: name, code, status and a redacted message. Used as the
   * `cause` of our errors instead of the vendor object, which may hold request bodies or options.
   */
  summary(error: unknown): { name: string; message: string; code?: string; status?: number } {
    if (!(error instanceof Error)) return { name: 'NonError', message: this.text(String(error)) };
    const e = error as Error & { code?: unknown; statusCode?: unknown; status?: unknown; cause?: unknown };
    const causeCode = e.cause && typeof e.cause === 'object' ? (e.cause as { code?: unknown }).code : undefined;
    const code = typeof e.code === 'string' ? e.code : typeof causeCode === 'string' ? causeCode : undefined;
    const status =
      typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
    return {
      name: e.name,
      message: this.text(e.message),
      ...(code !== undefined && { code }),
      ...(status !== undefined && { status }),
    };
  }
}
