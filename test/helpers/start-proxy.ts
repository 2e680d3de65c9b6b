/**
 * A loopback HTTP proxy in front of a simulator that knows which requests are in flight: received
 * from the client, not answered by the upstream yet. A client that dies does not abort its
 * upstream request (as with a real API, the call that reached the server completes there).
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InFlight {
  readonly method: string;
  readonly path: string;
  readonly sinceMs: number;
}

export interface WatchingProxy {
  readonly url: string;
  /** Requests received and not yet answered by the upstream. */
  inFlight(): InFlight[];
  /** Resolves once no request is in flight. */
  drained(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWatchingProxy(upstream: string): Promise<WatchingProxy> {
  const target = new URL(upstream);
  const flying = new Set<InFlight>();
  const server = createServer((req, res) => {
    const entry: InFlight = { method: req.method ?? 'GET', path: req.url ?? '/', sinceMs: Date.now() };
    flying.add(entry);
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
    const up = request(
      { host: target.hostname, port: target.port, method: entry.method, path: entry.path, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          flying.delete(entry);
          if (res.destroyed) return;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
        answer.on('error', () => flying.delete(entry));
      },
    );
    up.on('error', () => {
      flying.delete(entry);
      res.destroy();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inFlight: () => [...flying],
    async drained(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (flying.size > 0) {
        if (Date.now() > until) throw new Error(`proxy: ${flying.size} request(s) still in flight`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
