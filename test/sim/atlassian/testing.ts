/** Test-side helpers for talking to the simulator with plain fetch. */

export interface SimReply {
  readonly status: number;
  readonly headers: Headers;
  /** The raw body text ('' when none). */
  readonly text: string;
  /** Parsed JSON; undefined when empty; the text itself when it is not JSON. */
  readonly body: any;
}

export interface CallOptions {
  /** Bearer key to send; null sends no Authorization header. */
  readonly apiKey: string | null;
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
}

/** One request against `baseUrl + path` (path includes `/admin`, `/admin/control` or `/users`). */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions): Promise<SimReply> {
  const headers: Record<string, string> = {};
  if (options.apiKey !== null) headers.Authorization = `Bearer ${options.apiKey}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(baseUrl + path, { method, headers, ...(payload !== undefined && { body: payload }) });
  const text = await res.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** A controllable clock for `AtlassianSimOptions.clock`. */
export function fakeClock(startIso = '2026-11-01T00:00:00.000Z'): {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
} {
  let t = Date.parse(startIso);
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}
