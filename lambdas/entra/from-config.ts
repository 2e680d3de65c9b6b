import type { Config } from '../config/index.js';
import { EntraSecretError } from './errors.js';
import { createEntraDirectory } from './directory.js';
import type { EntraDirectoryOptions } from './options.js';
import { SignInActivityMode } from './options.js';
import { describeSecretRef, resolveSetting, SecretResolutionError, type SecretResolver } from '../shared/secrets.js';
import { DirectoryScope, type EntraDirectory } from './types.js';

/** What the configuration does not say: ports, and the choices the schema has no field for (yet). */
export interface EntraConfigDeps extends Partial<
  Pick<
    EntraDirectoryOptions,
    'ca' | 'clock' | 'logger' | 'retry' | 'useBatch' | 'concurrency' | 'requestTimeoutMs' | 'fetch' | 'tokenSource'
  >
> {
  readonly secrets: SecretResolver;
  /**
   * With entra.readSignInActivity, carry on without sign-in dates when Graph refuses them (no
   * AuditLog.Read.All, no P1). @default config.entra.signInActivityFallback
   */
  readonly allowSignInActivityFallback?: boolean;
  /**
   * @default "all-users" when deactivation.deactivateEntraDisabled or deactivateEntraDeleted is on
   * (so that "not found in Entra" really means no Entra user, and disabled users outside the groups
   * are seen), else "group-members".
   */
  readonly scope?: DirectoryScope;
}

/** Resolves the client secret through the injected resolver and builds the directory for a configuration. */
export async function createEntraDirectoryFromConfig(
  config: Pick<Config, 'entra' | 'deactivation'>,
  deps: EntraConfigDeps,
): Promise<EntraDirectory> {
  const { entra } = config;
  const { secrets, allowSignInActivityFallback, scope, ...ports } = deps;
  const leavers = config.deactivation.deactivateEntraDisabled || config.deactivation.deactivateEntraDeleted;
  if (scope === DirectoryScope.GROUP_MEMBERS && leavers) {
    // With only group members held, everyone outside the groups would look "deleted from Entra",
    // and nobody outside them could be seen disabled.
    throw new TypeError(
      'scope "group-members" cannot be used with deactivation.deactivateEntraDisabled or deactivateEntraDeleted: people outside the Confluence and exclusion groups would read as gone from Entra. ' +
        'Use scope "all-users" (the default), or turn both off.',
    );
  }
  const clientSecret = await resolveSetting(secrets, entra.clientSecret, 'entra.clientSecret').catch((err: unknown) => {
    // The Entra reader reports its own failures as EntraError: a secret it cannot read is one.
    if (!(err instanceof SecretResolutionError)) throw err;
    throw new EntraSecretError(err.message, { ...(err.code !== undefined && { code: err.code }), cause: err });
  });
  return createEntraDirectory({
    ...ports,
    tenantId: entra.tenantId,
    clientId: entra.clientId,
    clientSecret,
    clientSecretSource: `${describeSecretRef(entra.clientSecret)} (entra.clientSecret)`,
    confluenceGroupId: entra.confluenceGroupId,
    exclusionGroupIds: entra.exclusionGroupIds,
    signInActivity: !entra.readSignInActivity
      ? SignInActivityMode.OFF
      : (allowSignInActivityFallback ?? entra.signInActivityFallback)
        ? SignInActivityMode.BEST_EFFORT
        : SignInActivityMode.REQUIRED,
    scope: scope ?? (leavers ? DirectoryScope.ALL_USERS : DirectoryScope.GROUP_MEMBERS),
    authorityHost: entra.authorityHost,
    graphBaseUrl: entra.graphBaseUrl,
  });
}
