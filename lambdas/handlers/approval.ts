/**
 * Lambda handlers of the approval step (thin doors: map the event, call the core, map the result).
 * `handler` serves the review site behind a Lambda Function URL or an API Gateway HTTP API
 * (payload format 2.0); `expire` is invoked on a schedule and expires undecided proposals.
 */
import { gzipSync } from 'node:zlib';
import type { ApprovalService, ExpiryReport, HttpRequest, HttpResponse } from '../approval/index.js';
import { loadConfigFromEnv } from '../config/index.js';
import { awsClients, createApproval, mailRequestsFor, runtimeEnv, sfnStarterFor } from '../wiring/index.js';
import { powertoolsLogger, productMetrics, traced } from '../wiring/powertools.js';
import { expiryMetrics } from '../wiring/run-metrics.js';

/** The fields of a Function URL / HTTP API 2.0 event this handler reads (declared here: no aws-lambda types package). */
export interface FunctionUrlEvent {
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** Payload 2.0 moves the Cookie header here. */
  readonly cookies?: readonly string[];
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: { readonly http: { readonly method: string }; readonly domainName?: string };
}

export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Payload 2.0 returns Set-Cookie values here. */
  readonly cookies: readonly string[];
  readonly body: string;
  /** True for a gzipped body (then base64). */
  readonly isBase64Encoded: boolean;
}

let service: ApprovalService | undefined;
// Powertools: JSON log lines; the hourly sweep writes one EMF line (proposals expired undecided).
const logger = powertoolsLogger();
const metrics = productMetrics();

/**
 * Built on first use, once per container. Without a configured review URL, the Function URL's own
 * domain is the review site (wiring/env.ts, reviewBaseUrlOf). Approved items go to the execution
 * state machine the stack names (LIFECYCLE_EXECUTION_STATE_MACHINE_ARN); without one, decisions
 * are recorded and audited, and a warning says that no executor is wired. Mail the site asks for
 * goes to the mailer function the stack names (LIFECYCLE_MAILER_FUNCTION); without one it is sent
 * in process.
 */
function approval(domainName?: string): ApprovalService {
  if (service) return service;
  const env = runtimeEnv();
  const clients = awsClients(env, { wrap: traced });
  const execution = sfnStarterFor({ env, clients });
  // On AWS the site sends no mail: it hands ids to the mailer function (LIFECYCLE_MAILER_FUNCTION).
  const mailRequests = mailRequestsFor({ env });
  service = createApproval({
    config: loadConfigFromEnv(),
    env,
    clients,
    logger,
    ...(execution && { execution }),
    ...(mailRequests && { mailRequests }),
    ...(domainName && { requestDomain: domainName }),
  });
  return service;
}

export function toRequest(event: FunctionUrlEvent): HttpRequest {
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(event.rawQueryString ?? '')) if (!(k in query)) query[k] = v;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(event.headers ?? {})) headers[k.toLowerCase()] = v;
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query,
    headers,
    ...(body !== undefined && { body }),
  };
}

/** Bodies above this are gzipped when the browser accepts it (a Function URL answers at most 6 MB). */
const GZIP_ABOVE_BYTES = 64 * 1024;

/**
 * The Function URL response. A large page (the review page is about 0.9 KB per item, 24 MB at
 * 27,000 items) is sent gzipped (about 1/12 of the size) when the request accepts gzip, so proposals
 * far past the 6 MB response limit still open. Lambda response limits:
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export function toResult(res: HttpResponse, acceptEncoding = ''): FunctionUrlResult {
  const size = Buffer.byteLength(res.body, 'utf8');
  if (size > GZIP_ABOVE_BYTES && /\bgzip\b/i.test(acceptEncoding)) {
    return {
      statusCode: res.status,
      headers: { ...res.headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
      cookies: res.cookies,
      body: gzipSync(res.body).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return { statusCode: res.status, headers: res.headers, cookies: res.cookies, body: res.body, isBase64Encoded: false };
}

export async function handler(event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  const request = toRequest(event);
  return toResult(await approval(event.requestContext.domainName).handle(request), request.headers['accept-encoding']);
}

export async function expire(): Promise<ExpiryReport> {
  try {
    const report = await approval().expireProposals();
    metrics.record(expiryMetrics(report));
    return report;
  } finally {
    metrics.flush();
  }
}
