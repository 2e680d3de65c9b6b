import type { Config, SecretRef } from '../../config/index.js';

/** Approver sign-in as configured, every default resolved (config `approval.signIn`). */
export interface SignInSettings {
  /** `https://<authority>/<tenant>/v2.0`: Entra ID's v2.0 issuer for one tenant. */
  readonly issuer: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: SecretRef;
  /** Where the provider sends the approver back: `<review base>/signin/callback`. */
  readonly redirectUri: string;
  /** A decision needs a sign-in at most this old. */
  readonly stepUpMs: number;
  readonly requireMfa: boolean;
}

/** Path (under the review base) of the OpenID Connect redirect URI, the one to register in Entra. */
export const CALLBACK_SEGMENT = 'signin/callback';

/**
 * The sign-in settings, or undefined when `approval.signIn.mode` is `off` (links alone decide).
 * Client id, secret and authority default to the `entra` app registration; the tenant is Entra's.
 * Issuer format: https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc
 */
export function signInSettings(config: Config, base: URL): SignInSettings | undefined {
  const s = config.approval.signIn;
  if (s.mode === 'off') return undefined;
  const authority = (s.authorityHost ?? config.entra.authorityHost).replace(/\/+$/, '');
  const tenant = encodeURIComponent(config.entra.tenantId);
  return {
    issuer: `${authority}/${tenant}/v2.0`,
    tenantId: config.entra.tenantId,
    clientId: s.clientId ?? config.entra.clientId,
    clientSecret: s.clientSecret ?? config.entra.clientSecret,
    redirectUri: `${base.href.replace(/\/+$/, '')}/${CALLBACK_SEGMENT}`,
    stepUpMs: s.stepUpMinutes * 60_000,
    requireMfa: s.requireMfa,
  };
}
