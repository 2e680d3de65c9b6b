import type { Config } from '../../config/index.js';
import { resolveSetting, type SecretResolver } from '../../shared/secrets.js';
import { openIdRelyingParty, type OidcFetch, type RelyingParty } from './oidc.js';
import { secretSealer, type Sealer } from './seal.js';
import { signInSettings, type SignInSettings } from './settings.js';

export { CALLBACK_SEGMENT, signInSettings, type SignInSettings } from './settings.js';
export { identityOf, isApprover, freshEnough, describeIdentity, type SignedIn } from './identity.js';
export type { OidcFetch, RelyingParty } from './oidc.js';

/** What the site needs to sign approvers in: where the client secret comes from (and, for tests, a fetch). */
export interface SignInDeps {
  readonly secrets: SecretResolver;
  /** @default the global fetch */
  readonly fetch?: OidcFetch;
}

/** Sign-in bound to one configuration and review base. */
export interface SignIn {
  readonly settings: SignInSettings;
  readonly rp: RelyingParty;
  readonly sealer: Sealer;
}

/** Sign-in is required but the site was wired without a way to read its client secret. */
export class SignInSetupError extends Error {
  override readonly name = 'SignInSetupError';
}

const cache = new WeakMap<object, { key: string; signIn: SignIn }>();

/**
 * The site's sign-in for `config` (undefined when `approval.signIn.mode` is `off`), built once per
 * deps object and base. Without SignInDeps it fails closed: no decision counts without sign-in.
 */
export function signInFor(owner: object, config: Config, base: URL, deps: SignInDeps | undefined): SignIn | undefined {
  const settings = signInSettings(config, base);
  if (!settings) return undefined;
  if (!deps)
    throw new SignInSetupError(
      'approval.signIn is required but the review site was started without a secret resolver for its client secret. Wire SignInDeps (lambdas/wiring/approval.ts does), or set approval.signIn.mode to "off".',
    );
  const key = `${settings.issuer} ${settings.clientId} ${settings.redirectUri}`;
  const hit = cache.get(owner);
  if (hit?.key === key) return hit.signIn;
  const secret = () => resolveSetting(deps.secrets, settings.clientSecret, 'approval.signIn.clientSecret');
  const signIn: SignIn = {
    settings,
    rp: openIdRelyingParty(settings, secret, { ...(deps.fetch && { fetch: deps.fetch }) }),
    sealer: secretSealer(secret),
  };
  cache.set(owner, { key, signIn });
  return signIn;
}
