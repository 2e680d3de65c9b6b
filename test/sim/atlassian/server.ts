/**
 * The request pipeline: route → auth → rate limit (and 429 storms) → org check → faults (reset,
 * 5xx, delay) → handler → malformed pages → response, with every request logged and counted.
 * The test-only control endpoints (`/__sim/...`, control.ts) bypass all of it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestContext, SimCore, SimResponse } from './context.js';
import { controlRequest } from './control.js';
import { errorBody, ErrorStyle, PipelineErrors, SimHttpError } from './errors.js';
import type { FaultState } from './faults.js';
import type { SimLog } from './log.js';
import type { RateLimiter } from './rate-limit.js';
import { matchRoute, styleForPath, type Route } from './routes.js';
import type { EndpointClass } from './types.js';

export interface Pipeline {
  readonly core: SimCore;
  readonly apiKey: string;
  readonly limiter: RateLimiter;
  readonly faults: FaultState;
  readonly log: SimLog;
}

interface Outgoing {
  status: number;
  headers: Record<string, string>;
  /** Serialised body ('' = none). */
  text: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseLogged(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Outgoing {
  if (body === undefined) return { status, headers, text: '' };
  return { status, headers: { ...headers, 'Content-Type': 'application/json' }, text: JSON.stringify(body) };
}

const error = (style: ErrorStyle, e: SimHttpError, headers: Record<string, string> = {}) =>
  json(e.status, errorBody(style, e), headers);

/** Breaks a listing page as `malformedPages` asks. */
function breakPage(res: SimResponse, route: Route, kind: 'truncated-json' | 'missing-field'): Outgoing {
  if (kind === 'truncated-json') {
    const text = JSON.stringify(res.body);
    return {
      status: res.status,
      headers: { 'Content-Type': 'application/json' },
      text: text.slice(0, Math.floor(text.length / 2)),
    };
  }
  const body = res.body as { data: Record<string, unknown>[] };
  const [first, ...rest] = body.data;
  const data = first
    ? [Object.fromEntries(Object.entries(first).filter(([k]) => k !== route.listing!.idField)), ...rest]
    : [];
  return json(res.status, { ...body, data });
}

async function handle(
  p: Pipeline,
  req: IncomingMessage,
  raw: string,
): Promise<{ out: Outgoing | 'reset'; route?: Route }> {
  const { core } = p;
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const found = matchRoute(method, url.pathname);
  const authorized = req.headers.authorization === `Bearer ${p.apiKey}`;
  if (!('route' in found)) {
    const style = styleForPath(url.pathname);
    if (!authorized) return { out: error(style, PipelineErrors.unauthenticated()) };
    if (found.methodMismatch)
      return {
        out: error(
          style,
          new SimHttpError(405, 'ADMIN-405-1', 'Method not supported', `${method} is not supported on ${url.pathname}`),
        ),
      };
    return { out: error(style, PipelineErrors.unknownPath(url.pathname)) };
  }
  const { route, params } = found;
  const cls: EndpointClass = route.cls;
  const now = core.now();
  if (!authorized)
    return { route, out: error(route.style, PipelineErrors.unauthenticated(), p.limiter.peek(cls, now)) };
  const rate = p.limiter.take(cls, now, p.faults.takeStorm(cls));
  if (!rate.allowed) return { route, out: error(route.style, PipelineErrors.rateLimited(), rate.headers) };
  if (params.orgId !== undefined && params.orgId !== core.org.orgId)
    return { route, out: error(route.style, PipelineErrors.orgNotFound(params.orgId), rate.headers) };
  const delay = p.faults.delayMs(cls);
  if (delay > 0) await sleep(delay);
  const fault = p.faults.draw(cls);
  if (fault.kind === 'reset') return { route, out: 'reset' };
  if (fault.kind === 'status') {
    const e = fault.status === 500 ? PipelineErrors.internal() : PipelineErrors.gateway(fault.status);
    return { route, out: error(route.style, e, rate.headers) };
  }
  core.tasks.settle(core.now());
  const ctx: RequestContext = {
    core,
    method,
    pathname: url.pathname,
    params,
    query: url.searchParams,
    rawBody: raw,
    json: () => {
      if (raw.trim() === '') return undefined;
      try {
        return JSON.parse(raw);
      } catch {
        throw PipelineErrors.badBody(`The body is not valid JSON: ${JSON.stringify(raw.slice(0, 60))}`);
      }
    },
  };
  try {
    const res = route.handler(ctx);
    const broken =
      route.listing && res.page !== undefined ? p.faults.malformed(cls, route.listing.name, res.page) : undefined;
    const out = broken ? breakPage(res, route, broken) : json(res.status, res.body);
    return { route, out: { ...out, headers: { ...rate.headers, ...out.headers } } };
  } catch (e) {
    if (!(e instanceof SimHttpError)) throw e;
    return { route, out: error(route.style, e, rate.headers) };
  }
}

/** The node:http request listener. */
export function requestListener(p: Pipeline): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const control = controlRequest(
        p.core,
        p.log,
        (req.method ?? 'GET').toUpperCase(),
        new URL(req.url ?? '/', 'http://sim.invalid'),
      );
      if (control) {
        res.writeHead(control.status, control.body === undefined ? {} : { 'Content-Type': 'application/json' });
        res.end(control.body === undefined ? '' : JSON.stringify(control.body));
        return;
      }
      const atMs = p.core.now();
      const { out, route } = await handle(p, req, raw).catch((e: unknown) => {
        console.error('atlassian sim: handler crashed', e);
        return { out: error(ErrorStyle.ORG_V1, PipelineErrors.internal()), route: undefined };
      });
      p.log.request({
        atMs,
        method: (req.method ?? 'GET').toUpperCase(),
        template: route?.template ?? 'unmatched',
        path: req.url ?? '/',
        body: parseLogged(raw),
        status: out === 'reset' ? 0 : out.status,
        ...(route && { endpointClass: route.cls }),
      });
      if (out === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(out.status, out.headers);
      res.end(out.text);
    })().catch(() => req.socket.destroy());
  };
}
