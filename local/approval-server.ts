import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES, type HttpRequest, type HttpResponse } from '../lambdas/approval/index.js';

/** The approval handler behind a loopback HTTP server: the local stand-in for the Function URL. */
export interface ApprovalServer {
  /** `http://127.0.0.1:<port>`: use it as `approval.reviewBaseUrl`. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface ApprovalServerOptions {
  /** @default a free port chosen by the OS */
  readonly port?: number;
}

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function toRequest(req: IncomingMessage): Promise<HttpRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const method = req.method ?? 'GET';
  const body = method === 'POST' ? await readBody(req) : undefined;
  return { method, path: url.pathname, query, headers, ...(body !== undefined && { body }) };
}

function send(res: ServerResponse, out: HttpResponse): void {
  res.statusCode = out.status;
  for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
  if (out.cookies.length > 0) res.setHeader('set-cookie', [...out.cookies]);
  res.end(out.body);
}

/** Starts the server on 127.0.0.1 (never on other interfaces). */
export async function startApprovalServer(
  handle: (request: HttpRequest) => Promise<HttpResponse>,
  options: ApprovalServerOptions = {},
): Promise<ApprovalServer> {
  const server: Server = createServer((req, res) => {
    toRequest(req)
      .then(handle)
      .then((out) => send(res, out))
      .catch((err: Error) => {
        res.statusCode = err instanceof BodyTooLargeError ? 413 : 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(err instanceof BodyTooLargeError ? 'Request body too large.' : 'Internal error.');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
