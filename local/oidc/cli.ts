/**
 * Runs the local OpenID Provider in the foreground:
 *   npm run oidc -- --port 4020 [--tenant GUID] --client-id review-site --client-secret S \
 *     --redirect-uri http://127.0.0.1:4030/auth/callback [--redirect-uri ...] --users users.json [--id-token-ttl 3600]
 * users.json: a JSON array of {oid, email, preferredUsername, name, password, mfa?}.
 * When it listens it prints one line of JSON on stdout and nothing else there:
 *   {"ready":true,"issuer":"http://127.0.0.1:4020/<tenant>/v2.0","tenant":"<tenant>","url":"http://127.0.0.1:4020","pid":1234}
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLocalOidc } from './server.js';
import type { LocalOidcUser } from './types.js';

const USAGE =
  'usage: npm run oidc -- --client-id ID --client-secret S --redirect-uri URI [--redirect-uri URI ...] --users users.json\n' +
  '         [--port 0] [--tenant GUID] [--id-token-ttl 3600]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function readUsers(file: string): LocalOidcUser[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`--users ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(parsed)) fail(`--users ${file}: expected a JSON array of users`);
  return parsed.map((u: Record<string, unknown>, i) => {
    for (const key of ['oid', 'email', 'preferredUsername', 'name', 'password'] as const) {
      if (typeof u[key] !== 'string' || !u[key]) fail(`--users ${file}: user ${i} needs a string ${key}`);
    }
    return {
      oid: u.oid as string,
      email: u.email as string,
      preferredUsername: u.preferredUsername as string,
      name: u.name as string,
      password: u.password as string,
      mfa: u.mfa === true,
    };
  });
}

function integer(value: string | undefined, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535 * 1_000) fail(`--${name} must be a whole number, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        tenant: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        users: { type: 'string' },
        'id-token-ttl': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const clientId = values['client-id'] ?? fail('--client-id is required');
  const clientSecret = values['client-secret'] ?? fail('--client-secret is required');
  const redirectUris = values['redirect-uri'] ?? fail('at least one --redirect-uri is required');
  for (const uri of redirectUris) if (!URL.canParse(uri)) fail(`--redirect-uri ${uri} is not a URL`);
  const users = readUsers(values.users ?? fail('--users is required'));
  const port = integer(values.port, 'port', 0);
  if (port! > 65_535) fail(`--port must be at most 65535, got ${port}`);

  const oidc = await startLocalOidc({
    port,
    tenant: values.tenant,
    clients: [{ clientId, clientSecret, redirectUris }],
    users,
    idTokenTtlSeconds: integer(values['id-token-ttl'], 'id-token-ttl', 3600),
  });
  process.stdout.write(
    `${JSON.stringify({ ready: true, issuer: oidc.issuer, tenant: oidc.tenant, url: oidc.url, pid: process.pid })}\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    oidc.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
