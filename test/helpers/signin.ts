import { envSecretResolver, ManualClock } from '../../lambdas/shared/index.js';
import type { OidcFetch } from '../../lambdas/approval/signin/index.js';
import { startLocalOidc, type LocalOidc, type LocalOidcUser } from '../../local/oidc/index.js';
import { freePort } from '../../local/ports.js';
import { approvalWorld, type ApprovalWorld } from './approval.js';

/** The example configuration's Entra tenant and app registration (config/example.local.json). */
export const TENANT = '11111111-2222-3333-4444-555555555555';
export const CLIENT_ID = '66666666-7777-8888-9999-000000000000';
const CLIENT_SECRET = 'local-sign-in-secret-value';

/** People at the local provider: both approvers of the example configuration, and someone else. */
export const USERS = {
  admin: {
    oid: 'a0000000-0000-4000-8000-000000000001',
    email: 'it-admin@example.com',
    preferredUsername: 'it-admin@example.com',
    name: 'IT Admin',
    password: 'admin-pass',
    mfa: true,
  },
  security: {
    oid: 'a0000000-0000-4000-8000-000000000002',
    email: 'security@example.com',
    preferredUsername: 'security@example.com',
    name: 'Security Officer',
    password: 'security-pass',
  },
  mallory: {
    oid: 'a0000000-0000-4000-8000-00000000000d',
    email: 'mallory@example.com',
    preferredUsername: 'mallory@example.com',
    name: 'Mallory',
    password: 'mallory-pass',
  },
} satisfies Record<string, LocalOidcUser>;

export const credentials = (u: LocalOidcUser) => ({ login: u.preferredUsername, password: u.password });

export interface SignInWorld extends ApprovalWorld {
  readonly oidc: LocalOidc;
}

/**
 * An approval world with approver sign-in required, against a real OpenID Provider on loopback laid
 * out like the example's Entra tenant. The clock starts at real time: the provider signs tokens with it.
 */
export async function signInWorld(
  options: {
    edit?: (raw: Record<string, any>) => void;
    idTokenTtlSeconds?: number;
    fetch?: OidcFetch;
    /** @default every one of USERS */
    users?: readonly LocalOidcUser[];
  } = {},
): Promise<SignInWorld> {
  const port = await freePort();
  const oidc = await startLocalOidc({
    tenant: TENANT,
    clients: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/signin/callback`] },
    ],
    users: [...(options.users ?? Object.values(USERS))],
    ...(options.idTokenTtlSeconds && { idTokenTtlSeconds: options.idTokenTtlSeconds }),
  });
  try {
    const world = await approvalWorld({
      port,
      clock: new ManualClock(Date.now()),
      edit: (raw) => {
        raw.approval.signIn = { mode: 'required', authorityHost: oidc.url };
        options.edit?.(raw);
      },
      signIn: {
        secrets: envSecretResolver({ GRAPH_CLIENT_SECRET: CLIENT_SECRET }),
        ...(options.fetch && { fetch: options.fetch }),
      },
    });
    return {
      ...world,
      oidc,
      stop: async () => {
        await world.stop();
        await oidc.stop();
      },
    };
  } catch (err) {
    await oidc.stop();
    throw err;
  }
}
