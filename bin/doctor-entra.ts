/**
 * Doctor checks of the Entra side, through the product's own Graph reader (lambdas/entra): the
 * app's credentials, each Graph application permission the configuration needs (naming a missing
 * one), and the Confluence and exclusion groups. Each probe is the reader itself with a narrowed
 * configuration, so a failure is attributed to one permission or one group.
 */
import type { Config } from '../lambdas/config/index.js';
import {
  createEntraDirectoryFromConfig,
  DirectoryScope,
  EntraAuthError,
  EntraGroupNotFoundError,
  EntraPermissionError,
  EntraSecretError,
  GraphPermission,
  silentLogger,
} from '../lambdas/entra/index.js';
import type { SecretResolver } from '../lambdas/shared/secrets.js';
import { fail, ok, reasonOf, skip, type CheckResult } from './doctor-checks.js';

export interface EntraProbeDeps {
  readonly secrets: SecretResolver;
  /** Extra CA (PEM) to trust: a local Graph simulator's. */
  readonly ca?: string;
}

const CREDENTIALS = 'Entra credentials';
const perm = (p: string) => `Graph permission ${p}`;
const grantFix = (p: string, clientId: string) =>
  `grant the Microsoft Graph application permission ${p} to the app registration ${clientId} (Entra admin center > App registrations > API permissions), then "Grant admin consent"`;

/** One read by the reader: group members only (or every user), with or without sign-in dates. */
async function probe(
  config: Config,
  deps: EntraProbeDeps,
  o: { group: string; scope: DirectoryScope; signIn?: boolean; domains?: boolean },
): Promise<{ error?: unknown; users?: number }> {
  const narrowed = {
    entra: {
      ...config.entra,
      confluenceGroupId: o.group,
      exclusionGroupIds: [],
      readSignInActivity: o.signIn ?? false,
      signInActivityFallback: false,
    },
    deactivation: { ...config.deactivation, deactivateEntraDisabled: false, deactivateEntraDeleted: false },
  };
  try {
    const dir = await createEntraDirectoryFromConfig(narrowed, {
      secrets: deps.secrets,
      logger: silentLogger,
      scope: o.scope,
      retry: { maxTransientRetries: 1, maxThrottledRetries: 2 },
      ...(deps.ca && { ca: deps.ca }),
    });
    if (o.domains) return { users: (await dir.readTenantDomains()).length };
    return { users: (await dir.readMembership()).size };
  } catch (error) {
    return { error };
  }
}

export async function entraChecks(config: Config, deps: EntraProbeDeps): Promise<CheckResult[]> {
  const { entra } = config;
  const out: CheckResult[] = [];
  const groups = [
    ['entra.confluenceGroupId', entra.confluenceGroupId] as const,
    ...entra.exclusionGroupIds.map((g, i) => [`entra.exclusionGroupIds[${i}]`, g] as const),
  ];
  const first = await probe(config, deps, { group: entra.confluenceGroupId, scope: DirectoryScope.GROUP_MEMBERS });
  const e = first.error;
  if (e instanceof EntraSecretError || e instanceof EntraAuthError) {
    out.push(
      fail(
        CREDENTIALS,
        reasonOf(e),
        e instanceof EntraSecretError
          ? 'set the secret entra.clientSecret points to'
          : 'check entra.tenantId, entra.clientId and the client secret value (not its id); for a local Graph simulator trust its certificate (LIFECYCLE_GRAPH_CA or NODE_EXTRA_CA_CERTS)',
      ),
    );
    return [
      ...out,
      skip('Graph permissions', `need working ${CREDENTIALS}`),
      skip('Entra groups', `need working ${CREDENTIALS}`),
    ];
  }
  if (e && !(e instanceof EntraPermissionError) && !(e instanceof EntraGroupNotFoundError)) {
    out.push(
      fail(
        CREDENTIALS,
        `Graph could not be read: ${reasonOf(e)}`,
        'check entra.authorityHost, entra.graphBaseUrl and the network path',
      ),
    );
    return out;
  }
  out.push(ok(CREDENTIALS, `token issued for app ${entra.clientId} in tenant ${entra.tenantId}`));
  if (e instanceof EntraPermissionError && e.permission === GraphPermission.GROUP_MEMBERS) {
    out.push(fail(perm(e.permission), `missing: ${reasonOf(e)}`, grantFix(e.permission, entra.clientId)));
    return [
      ...out,
      ...groups.map(([s, g]) => skip(`Entra group ${s}`, `${g}: needs ${GraphPermission.GROUP_MEMBERS}`)),
    ];
  }
  out.push(ok(perm(GraphPermission.GROUP_MEMBERS), 'group members read'));

  const users = await probe(config, deps, { group: entra.confluenceGroupId, scope: DirectoryScope.ALL_USERS });
  if (users.error instanceof EntraPermissionError)
    out.push(
      fail(
        perm(users.error.permission),
        `missing: ${reasonOf(users.error)}`,
        grantFix(users.error.permission, entra.clientId),
      ),
    );
  else if (users.error instanceof EntraGroupNotFoundError || users.error === undefined)
    out.push(ok(perm(GraphPermission.USERS), users.users === undefined ? 'users read' : `${users.users} users read`));
  else out.push(fail(perm(GraphPermission.USERS), reasonOf(users.error), 'see the reason'));

  if (entra.readSignInActivity) {
    const s = await probe(config, deps, {
      group: entra.confluenceGroupId,
      scope: DirectoryScope.GROUP_MEMBERS,
      signIn: true,
    });
    if (s.error instanceof EntraPermissionError)
      out.push(
        fail(
          perm(GraphPermission.SIGN_IN_ACTIVITY),
          reasonOf(s.error),
          grantFix(GraphPermission.SIGN_IN_ACTIVITY, entra.clientId) + ' (sign-in dates also need Entra ID P1)',
        ),
      );
    else out.push(ok(perm(GraphPermission.SIGN_IN_ACTIVITY), 'sign-in activity read'));
  }
  if (!entra.tenantDomains) {
    const d = await probe(config, deps, {
      group: entra.confluenceGroupId,
      scope: DirectoryScope.GROUP_MEMBERS,
      domains: true,
    });
    if (d.error instanceof EntraPermissionError)
      out.push(
        fail(
          perm(GraphPermission.DOMAINS),
          reasonOf(d.error),
          `${grantFix(GraphPermission.DOMAINS, entra.clientId)}, or list the domains in entra.tenantDomains`,
        ),
      );
    else if (d.error)
      out.push(fail(perm(GraphPermission.DOMAINS), reasonOf(d.error), 'or list the domains in entra.tenantDomains'));
    else
      out.push(
        ok(perm(GraphPermission.DOMAINS), `${d.users} verified domain(s) read (entra.tenantDomains is not set)`),
      );
  }

  for (const [setting, group] of groups) {
    const r =
      group === entra.confluenceGroupId
        ? first
        : await probe(config, deps, { group, scope: DirectoryScope.GROUP_MEMBERS });
    if (r.error instanceof EntraGroupNotFoundError)
      out.push(
        fail(
          `Entra group ${setting}`,
          `${group} does not exist in tenant ${entra.tenantId}`,
          `copy the group's Object ID from Entra admin center > Groups into ${setting}`,
        ),
      );
    else if (r.error instanceof EntraPermissionError)
      out.push(skip(`Entra group ${setting}`, `${group}: not read, needs ${r.error.permission}`));
    else if (r.error) out.push(fail(`Entra group ${setting}`, `${group}: ${reasonOf(r.error)}`, 'see the reason'));
    else out.push(ok(`Entra group ${setting}`, `${group} exists (${r.users} member(s) read)`));
  }
  return out;
}
