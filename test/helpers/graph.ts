/** Factories for tests of the Entra reader: in-memory Graph (no socket), clocks, loggers, expected membership. */
import type { Clock, EntraDirectoryOptions, EntraLogger, FetchLike, TokenSource } from '../../lambdas/entra/index.js';
import { transitiveGroupIds, type EntraPerson, type SyntheticOrg } from '../sim/org/index.js';
import { createGraphSimCore, dispatch, render, type GraphSimCore, type GraphSimOptions } from '../sim/graph/index.js';

/** Where the in-memory Graph pretends to live. */
export const FAKE_GRAPH_URL = 'https://graph.test';

export interface InMemoryGraph {
  readonly core: GraphSimCore;
  /** Drives the simulator's pipeline directly: the reader's whole stack runs, no socket opens. */
  readonly fetch: FetchLike;
  /** Tokens from the simulator's token endpoint logic (no MSAL). */
  readonly tokenSource: TokenSource;
  readonly url: string;
  /** "GET /v1.0/..." for every request the fetch received ("GET https://other.host/..." for another host). */
  readonly requests: string[];
}

/** The Graph simulator without its HTTPS server, for unit tests. */
export function inMemoryGraph(options: GraphSimOptions): InMemoryGraph {
  const core = createGraphSimCore(options, () => FAKE_GRAPH_URL);
  const requests: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    const method = init.method ?? 'GET';
    requests.push(`${method} ${u.origin === FAKE_GRAPH_URL ? '' : u.origin}${u.pathname}${u.search}`);
    if (u.origin !== FAKE_GRAPH_URL) throw new TypeError(`fetch failed: no route to ${u.origin}`);
    const headers = new Headers(init.headers);
    const out = await dispatch(core.pipeline, {
      method,
      url: `${u.pathname}${u.search}`,
      authorization: headers.get('authorization') ?? undefined,
      clientRequestId: headers.get('client-request-id') ?? undefined,
      body: typeof init.body === 'string' ? init.body : '',
    });
    if (out === 'reset')
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
    const { status, headers: h, text } = render(core.pipeline, out);
    return new Response(text === '' ? null : text, { status, headers: h });
  };
  const tokenSource: TokenSource = {
    async getToken() {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: core.clientId,
        client_secret: core.clientSecret,
        scope: `${FAKE_GRAPH_URL}/.default`,
      });
      const res = core.identity.token(core.tenantId, form);
      return (res.body as { access_token: string }).access_token;
    },
  };
  return { core, fetch, tokenSource, url: FAKE_GRAPH_URL, requests };
}

export interface RecordingClock extends Clock {
  /** Every sleep asked for, in ms. */
  readonly sleeps: number[];
}

/** A clock whose sleeps return at once and move time forward: a 60 s back-off takes no time. */
export function recordingClock(startIso = '2026-11-01T00:00:00.000Z'): RecordingClock {
  let t = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

export interface CapturedLogger extends EntraLogger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[];
}

export function captureLogger(): CapturedLogger {
  const lines: CapturedLogger['lines'] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields && { fields }) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn') };
}

/** Options for a directory reading `org` from a simulator (in memory or HTTPS). */
export function directoryOptions(
  target: { url: string; tenantId: string; clientId: string; clientSecret: string; ca?: string },
  org: SyntheticOrg,
  overrides: Partial<EntraDirectoryOptions> = {},
): EntraDirectoryOptions {
  return {
    tenantId: target.tenantId,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    confluenceGroupId: org.groups.confluence,
    exclusionGroupIds: [org.groups.exclusion],
    authorityHost: target.url,
    graphBaseUrl: target.url,
    ...(target.ca !== undefined && { ca: target.ca }),
    retry: { random: () => 0 },
    ...overrides,
  };
}

/** Options for a directory over an in-memory Graph. */
export function inMemoryOptions(
  graph: InMemoryGraph,
  org: SyntheticOrg,
  overrides: Partial<EntraDirectoryOptions> = {},
): EntraDirectoryOptions {
  const { core } = graph;
  return directoryOptions(
    { url: graph.url, tenantId: core.tenantId, clientId: core.clientId, clientSecret: core.clientSecret },
    org,
    {
      fetch: graph.fetch,
      tokenSource: graph.tokenSource,
      ...overrides,
    },
  );
}

/** Every Entra person of the org (people's `entra`, then Entra-only users). */
export function entraPeople(org: SyntheticOrg): EntraPerson[] {
  return [...org.people.flatMap((p) => (p.entra ? [p.entra] : [])), ...org.entraOnly];
}

/**
 * Ground truth from the org itself (not from the simulator): ids of the Entra users that are
 * transitive members of a group, through the org's own nesting.
 */
export function expectedMemberIds(org: SyntheticOrg, groupId: string): Set<string> {
  const groups = transitiveGroupIds(org, groupId);
  return new Set(
    entraPeople(org)
      .filter((e) => e.groups.some((g) => groups.has(g)))
      .map((e) => e.id),
  );
}

/** Everything written to console.* and process.stdout/stderr while active. */
export function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => [m, console[m]] as const);
  for (const m of methods)
    console[m] = (...args: unknown[]) =>
      void chunks.push(args.map((a) => (typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a)))).join(' '));
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const grab = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  return {
    text: () => chunks.join('\n'),
    restore: () => {
      for (const [m, f] of saved) console[m] = f;
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}
