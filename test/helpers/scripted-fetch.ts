/** A fetch that answers from a script, for unit tests of the HTTP layer (no socket). */
export interface ScriptedAnswer {
  status?: number;
  body?: unknown;
  /** Raw body text (wins over `body`). */
  text?: string;
  headers?: Record<string, string>;
  /** Throw like a connection reset instead of answering. */
  reset?: boolean;
}

export interface ScriptedFetch {
  fetch: typeof fetch;
  calls: { url: string; method: string; headers: Record<string, string>; body?: string }[];
}

export function scriptedFetch(answers: ScriptedAnswer[] | ((n: number, url: string) => ScriptedAnswer)): ScriptedFetch {
  const calls: ScriptedFetch['calls'] = [];
  const next = (n: number, url: string): ScriptedAnswer => {
    if (typeof answers === 'function') return answers(n, url);
    const a = answers[n];
    if (!a) throw new Error(`scripted fetch: no answer for call ${n + 1} (${url})`);
    return a;
  };
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      ...(typeof init?.body === 'string' && { body: init.body }),
    });
    const a = next(calls.length - 1, url);
    if (a.reset)
      throw Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      });
    const text = a.text ?? (a.body === undefined ? '' : JSON.stringify(a.body));
    return new Response(a.status === 204 ? null : text, { status: a.status ?? 200, headers: a.headers ?? {} });
  };
  return { fetch: fn as typeof fetch, calls };
}
