/**
 * Approver sign-in on the local stack: a real OpenID Provider on loopback (local/oidc) laid out like
 * the configuration's Entra tenant, with the app registration of `entra` (its client id and secret)
 * and one person per approver, and the configuration pointed at it. The demo and `lifecycle local up` use it.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../lambdas/config/index.js';
import { startLocalOidc, type LocalOidc, type LocalOidcUser } from './oidc/index.js';

/** Every local approver's password: the local provider is a stand-in, reachable on loopback only. */
export const LOCAL_APPROVER_PASSWORD = 'local-approver';

export interface ApproverSignIn {
  readonly oidc: LocalOidc;
  /** The configuration with approval.signIn required at the local provider. */
  readonly config: Config;
  readonly users: readonly LocalOidcUser[];
  stop(): Promise<void>;
}

/** A stable GUID-shaped object id for an email, as Entra gives each user one. */
const oidOf = (email: string): string => {
  const h = createHash('sha256').update(email).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export async function startApproverSignIn(
  config: Config,
  reviewBaseUrl: string,
  clientSecret: string,
  options: { port?: number } = {},
): Promise<ApproverSignIn> {
  const users: LocalOidcUser[] = config.approval.approvers.map((email) => ({
    oid: oidOf(email),
    email,
    preferredUsername: email,
    name: email.split('@')[0]!,
    password: LOCAL_APPROVER_PASSWORD,
    mfa: true,
  }));
  const oidc = await startLocalOidc({
    ...(options.port && { port: options.port }),
    tenant: config.entra.tenantId,
    clients: [
      {
        clientId: config.approval.signIn.clientId ?? config.entra.clientId,
        clientSecret,
        redirectUris: [`${reviewBaseUrl.replace(/\/+$/, '')}/signin/callback`],
      },
    ],
    users,
  });
  return {
    oidc,
    users,
    config: {
      ...config,
      approval: {
        ...config.approval,
        signIn: { ...config.approval.signIn, mode: 'required', authorityHost: oidc.url },
      },
    },
    stop: () => oidc.stop(),
  };
}
