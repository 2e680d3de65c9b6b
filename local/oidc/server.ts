import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleLogin } from './login-page.js';
import { buildProvider, saveClient, tenantPaths } from './provider.js';
import type { LocalOidc, LocalOidcClient, LocalOidcOptions } from './types.js';

/**
 * Starts a real OpenID Provider (oidc-provider, a certified implementation) on 127.0.0.1, laid out like
 * one Entra ID tenant: issuer `http://127.0.0.1:<port>/<tenant>/v2.0`, discovery under the issuer, the
 * v2.0 endpoint paths, RS256 ID tokens with Entra's v2.0 claims. Code flow only, PKCE (S256) required,
 * confidential clients (client_secret_post or client_secret_basic). State is in memory.
 */
export async function startLocalOidc(options: LocalOidcOptions): Promise<LocalOidc> {
  const tenant = options.tenant ?? randomUUID();
  const paths = tenantPaths(tenant);
  const clients = new Map<string, LocalOidcClient>(
    options.clients.map((c) => [c.clientId, { ...c, redirectUris: [...c.redirectUris] }]),
  );
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}${paths.prefix}v2.0`;

  let parts: Awaited<ReturnType<typeof buildProvider>>;
  try {
    parts = await buildProvider({
      issuer,
      tenant,
      clients: [...clients.values()],
      users: options.users,
      idTokenTtlSeconds: options.idTokenTtlSeconds ?? 3600,
    });
  } catch (err) {
    server.close();
    throw err;
  }
  const { provider, adapter } = parts;
  const callback = provider.callback();

  handler = (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === paths.discovery) {
      // oidc-provider serves discovery at <mount>/.well-known/openid-configuration; Entra serves it under the
      // issuer. The provider is mounted at the root (its routes carry the tenant), so hand it the root path.
      req.url = '/.well-known/openid-configuration' + (req.url!.slice(path.length) || '');
      callback(req, res);
      return;
    }
    if (path.startsWith(paths.login)) {
      const uid = decodeURIComponent(path.slice(paths.login.length));
      handleLogin(provider, options.users, tenant, uid, req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          const message = err instanceof Error ? err.message : String(err);
          res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`sign-in failed: ${message}`);
        } else res.destroy();
      });
      return;
    }
    if (path.startsWith(paths.prefix)) {
      callback(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  };

  return {
    issuer,
    tenant,
    url,
    addRedirectUri(clientId: string, uri: string) {
      const client = clients.get(clientId);
      if (!client) throw new Error(`local OpenID Provider: no client ${clientId}`);
      if (!client.redirectUris.includes(uri)) client.redirectUris.push(uri);
      saveClient(adapter, client);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
