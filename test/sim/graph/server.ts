/**
 * The request pipeline: identity endpoints (faults > answer) and Graph under /v1.0 (route > auth >
 * faults > answer), with `$batch` dispatching its requests through the same routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Errors, fromError, graphError, GraphSimError, ok, type SimResponse } from './errors.js';
import type { FaultPlan } from './faults.js';
import type { IdentityEndpoints } from './identity.js';
import { answer, routeOf, type GraphState } from './routes.js';
import type { Fault, GraphSimCounters, RouteName } from './types.js';

/** Graph's documented limit of requests in one $batch. */
export const BATCH_LIMIT = 20;

export class CounterLog {
  total = 0;
  byRoute: Partial<Record<RouteName, number>> = {};
  inner: Partial<Record<RouteName, number>> = {};
  byStatus: Record<string, number> = {};

  snapshot(faults: number, tokensIssued: number): GraphSimCounters {
    return {
      total: this.total,
      byRoute: { ...this.byRoute },
      inner: { ...this.inner },
      byStatus: { ...this.byStatus },
      faults,
      tokensIssued,
    };
  }

  reset(): void {
    this.total = 0;
    this.byRoute = {};
    this.inner = {};
    this.byStatus = {};
  }
}

export interface Pipeline {
  readonly graph: GraphState;
  readonly identity: IdentityEndpoints;
  readonly faults: FaultPlan;
  readonly counters: CounterLog;
}

/** What `dispatch` answers: a response, a destroyed connection, or a response to send truncated. */
export type Outcome = SimResponse | 'reset' | { readonly malformed: SimResponse };

/** A request as the pipeline needs it (from node:https, or from an in-memory fetch in unit tests). */
export interface SimRequest {
  readonly method: string;
  /** Path and query: `/v1.0/users?$top=5`. */
  readonly url: string;
  readonly authorization?: string;
  readonly clientRequestId?: string;
  readonly body: string;
}

function faultResponse(fault: Fault, crid: string | undefined): SimResponse | undefined {
  if (fault.kind === 'throttle') return fromError(Errors.throttled(fault.retryAfterSeconds), crid);
  if (fault.kind === 'status') return fromError(Errors.server(fault.status, fault.retryAfterSeconds), crid);
  return undefined;
}

function batch(p: Pipeline, raw: string, crid: string | undefined): SimResponse {
  let payload: { requests?: unknown };
  try {
    payload = JSON.parse(raw) as { requests?: unknown };
  } catch {
    throw new GraphSimError(400, 'BadRequest', 'Invalid batch payload format.');
  }
  const requests = payload.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    throw new GraphSimError(400, 'BadRequest', 'Invalid batch payload format.');
  if (requests.length > BATCH_LIMIT)
    throw new GraphSimError(
      400,
      'BadRequest',
      `Number of individual requests in a batch exceeds the limit of ${BATCH_LIMIT}.`,
    );
  const ids = new Set<string>();
  const responses = (requests as { id?: unknown; method?: unknown; url?: unknown }[]).map((r) => {
    const id = typeof r.id === 'string' ? r.id : String(r.id);
    if (ids.has(id))
      throw new GraphSimError(400, 'BadRequest', `Batch request ids must be unique; '${id}' is repeated.`);
    ids.add(id);
    const reply = (res: SimResponse) => ({ id, status: res.status, headers: res.headers, body: res.body });
    try {
      if (typeof r.url !== 'string' || !r.url.startsWith('/'))
        throw Errors.badRequest('The url of a batch request must be relative, like /users.');
      const u = new URL(r.url, 'https://batch.invalid');
      const method = typeof r.method === 'string' ? r.method.toUpperCase() : 'GET';
      const { route, params } = routeOf(method, u.pathname);
      if (route === 'batch') throw Errors.badRequest('A $batch cannot contain a $batch.');
      p.counters.inner[route] = (p.counters.inner[route] ?? 0) + 1;
      const fault = p.faults.take(route, 'inner');
      const faulted = fault && faultResponse(fault, crid);
      if (faulted) return reply(faulted);
      return reply(answer(p.graph, route, params, { method, path: u.pathname, query: u.searchParams }));
    } catch (e) {
      if (!(e instanceof GraphSimError)) throw e;
      return reply(fromError(e, crid));
    }
  });
  // Graph does not promise order: answer in reverse so clients must match by id.
  return ok({ responses: responses.reverse() });
}

/** Answers one request; counts it. */
export async function dispatch(p: Pipeline, req: SimRequest): Promise<Outcome> {
  p.counters.total++;
  const raw = req.body;
  const url = new URL(req.url, 'https://sim.invalid');
  const method = req.method.toUpperCase();
  const crid = req.clientRequestId;
  let route: RouteName;
  let params: Record<string, string> = {};
  let m: RegExpExecArray | null;
  if ((m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname)))
    [route, params] = ['openid', { tenant: m[1]! }];
  else if ((m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname)) && method === 'POST')
    [route, params] = ['token', { tenant: m[1]! }];
  else if (url.pathname.startsWith('/v1.0/')) {
    try {
      ({ route, params } = routeOf(method, url.pathname.slice('/v1.0'.length)));
    } catch (e) {
      if (e instanceof GraphSimError) return fromError(e, crid);
      throw e;
    }
  } else return graphError(400, 'BadRequest', `Invalid version or path: ${url.pathname}`, crid);

  p.counters.byRoute[route] = (p.counters.byRoute[route] ?? 0) + 1;
  const isGraph = route !== 'openid' && route !== 'token';
  if (isGraph && !p.identity.authorized(req.authorization)) return fromError(Errors.unauthenticated(), crid);
  const fault = p.faults.take(route, 'direct');
  if (fault?.kind === 'reset') return 'reset';
  if (fault?.kind === 'slow') await sleep(fault.delayMs);
  const faulted = fault && faultResponse(fault, crid);
  if (faulted) return faulted;

  let res: SimResponse;
  try {
    if (route === 'openid') res = p.identity.openIdConfiguration(params.tenant!);
    else if (route === 'token') res = p.identity.token(params.tenant!, new URLSearchParams(raw));
    else if (route === 'batch') res = batch(p, raw, crid);
    else
      res = answer(p.graph, route, params, {
        method,
        path: url.pathname.slice('/v1.0'.length),
        query: url.searchParams,
      });
  } catch (e) {
    if (!(e instanceof GraphSimError)) throw e;
    res = fromError(e, crid);
  }
  return fault?.kind === 'malformed' ? { malformed: res } : res;
}

/** Serialises an answer (truncating a malformed one) and counts its status. */
export function render(
  p: Pipeline,
  out: Exclude<Outcome, 'reset'>,
): { status: number; headers: Record<string, string>; text: string } {
  const r = 'malformed' in out ? out.malformed : out;
  let text = r.body === undefined ? '' : JSON.stringify(r.body);
  if ('malformed' in out) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  p.counters.byStatus[String(r.status)] = (p.counters.byStatus[String(r.status)] ?? 0) + 1;
  return { status: r.status, headers: r.headers, text };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The node:https request listener. */
export function requestListener(p: Pipeline): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const crid = req.headers['client-request-id'];
      const out = await dispatch(p, {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
        ...(typeof crid === 'string' && { clientRequestId: crid }),
        body: await readBody(req),
      });
      if (out === 'reset') {
        p.counters.byStatus.reset = (p.counters.byStatus.reset ?? 0) + 1;
        req.socket.destroy();
        return;
      }
      const { status, headers, text } = render(p, out);
      res.writeHead(status, headers);
      res.end(text);
    })().catch((e: unknown) => {
      console.error('graph sim: unexpected error', e);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'UnknownError', message: 'simulator defect' } }));
    });
  };
}
