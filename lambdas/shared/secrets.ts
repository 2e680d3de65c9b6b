import type { SecretRef } from '../config/index.js';
import { secretReadFailureMessage } from './secret-read-failure.js';

/**
 * A secret could not be resolved (missing variable, unreadable or malformed secret). Names where
 * the secret was looked for and, once known, the configuration setting; never carries the value.
 */
export class SecretResolutionError extends Error {
  override readonly name: string = 'SecretResolutionError';
  /** The AWS error name when Secrets Manager refused (AccessDeniedException, ...). */
  readonly code?: string;
  /** The configuration setting whose secret failed (`atlassian.apiKey`, `entra.clientSecret`). */
  readonly setting?: string;
  constructor(message: string, fields: { code?: string; setting?: string; cause?: unknown } = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    if (fields.code !== undefined) this.code = fields.code;
    if (fields.setting !== undefined) this.setting = fields.setting;
  }
}

/** Port: turns a SecretRef from the configuration into the secret. Implementations never log the value. */
export interface SecretResolver {
  resolve(ref: SecretRef): Promise<string>;
}

/** How a SecretRef is named in messages: where it points, never what it holds. */
export function describeSecretRef(ref: SecretRef): string {
  return ref.source === 'env' ? `environment variable ${ref.name}` : `Secrets Manager secret ${ref.secretId}`;
}

/** Reads `{source:"env"}` references from an environment (the local stack, tests). */
export function envSecretResolver(env: Readonly<Record<string, string | undefined>> = process.env): SecretResolver {
  return {
    async resolve(ref) {
      if (ref.source !== 'env')
        throw new SecretResolutionError(
          `Cannot read ${describeSecretRef(ref)} from the environment: this resolver only handles {"source":"env"}. Use secretsManagerSecretResolver for Secrets Manager references.`,
        );
      const value = env[ref.name];
      if (!value || value.trim() === '')
        throw new SecretResolutionError(
          `A secret is missing: environment variable ${ref.name} is not set or empty. Set it to the secret's value (for the Entra app: the client secret value, not its secret id; for Atlassian: the org admin API key).`,
        );
      return value.trim();
    },
  };
}

/**
 * Resolves the secret of one configuration setting; a failure names the setting first
 * (`atlassian.apiKey: environment variable ATLASSIAN_API_KEY is not set ...`).
 */
export async function resolveSetting(secrets: SecretResolver, ref: SecretRef, setting: string): Promise<string> {
  try {
    return await secrets.resolve(ref);
  } catch (err) {
    if (!(err instanceof SecretResolutionError) || err.setting) throw err;
    throw new SecretResolutionError(`${setting}: ${err.message}`, {
      setting,
      ...(err.code !== undefined && { code: err.code }),
      cause: err,
    });
  }
}

/** The one call of Secrets Manager this module makes (GetSecretValue), so tests can fake it without the SDK. */
export interface GetSecretValue {
  (secretId: string): Promise<{ SecretString?: string | undefined }>;
}

/**
 * Reads `{source:"secretsManager"}` references. The secret may be the plain value or JSON with a
 * `clientSecret` field. Wire it with the SDK:
 * `secretsManagerSecretResolver((id) => sm.send(new GetSecretValueCommand({ SecretId: id })))`.
 */
export function secretsManagerSecretResolver(
  getSecretValue: GetSecretValue,
  fallback: SecretResolver = envSecretResolver(),
): SecretResolver {
  return {
    async resolve(ref) {
      if (ref.source === 'env') return fallback.resolve(ref);
      let text: string | undefined;
      try {
        text = (await getSecretValue(ref.secretId)).SecretString;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        throw new SecretResolutionError(secretReadFailureMessage(ref, error), { code: name });
      }
      if (!text || text.trim() === '')
        throw new SecretResolutionError(
          `${describeSecretRef(ref)} has no SecretString. Store the client secret value as a string (or JSON {"clientSecret":"..."}).`,
        );
      return fromSecretString(text.trim(), ref);
    },
  };
}

function fromSecretString(text: string, ref: SecretRef): string {
  if (!text.startsWith('{')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretResolutionError(
      `${describeSecretRef(ref)} starts with "{" but is not valid JSON. Store the plain value, or JSON {"clientSecret":"..."}.`,
    );
  }
  const json = parsed as { clientSecret?: unknown; apiKey?: unknown };
  const value = json.clientSecret ?? json.apiKey;
  if (typeof value !== 'string' || value === '')
    throw new SecretResolutionError(
      `${describeSecretRef(ref)} is JSON without a string "clientSecret" (or "apiKey") field. Store the plain value, or JSON {"clientSecret":"..."}.`,
    );
  return value;
}
