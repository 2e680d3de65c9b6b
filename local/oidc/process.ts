import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnGuarded } from '../guarded-process.js';
import type { LocalOidc, LocalOidcOptions } from './types.js';

const READY = /^(\{"ready":true.*\})$/m;

/**
 * Starts the local OpenID Provider as a child process (cli.ts under tsx, guarded so it cannot outlive this
 * process) and resolves when it has printed its ready line. The CLI serves one client; the users are handed
 * over in a file readable only by this user, removed once the provider has read it.
 */
export async function startLocalOidcProcess(options: LocalOidcOptions & { timeoutMs?: number }): Promise<LocalOidc> {
  const [client, ...more] = options.clients;
  if (!client || more.length) throw new Error('the local OpenID Provider process serves exactly one client');
  const dir = mkdtempSync(join(tmpdir(), 'local-oidc-'));
  const usersFile = join(dir, 'users.json');
  writeFileSync(usersFile, JSON.stringify(options.users), { mode: 0o600 });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const args = ['--import', tsx, cli, '--client-id', client.clientId, '--client-secret', client.clientSecret];
  for (const uri of client.redirectUris) args.push('--redirect-uri', uri);
  args.push('--users', usersFile, '--port', String(options.port ?? 0));
  if (options.tenant !== undefined) args.push('--tenant', options.tenant);
  if (options.idTokenTtlSeconds !== undefined) args.push('--id-token-ttl', String(options.idTokenTtlSeconds));

  let proc;
  try {
    proc = await spawnGuarded('local OpenID Provider', process.execPath, args);
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const line = READY.exec(proc.output())?.[1];
      if (line) {
        const ready = JSON.parse(line) as { issuer: string; tenant: string; url: string; pid: number };
        const running = proc;
        return {
          issuer: ready.issuer,
          tenant: ready.tenant,
          url: ready.url,
          pid: ready.pid,
          stop: () => running.stop(),
        };
      }
      const dead = proc.exited();
      if (dead || Date.now() > deadline) {
        await proc.stop();
        throw new Error(`local OpenID Provider did not start (${dead ?? 'timed out'}): ${proc.output()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
