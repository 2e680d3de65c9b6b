/**
 * Doctor checks of the Atlassian side, through the product's own client (lambdas/atlassian): the
 * API key and its org, the directory, both policy ids, and every break-glass account.
 */
import {
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  type AtlassianClient,
  type ManagedAccount,
} from '../lambdas/atlassian/index.js';
import type { Config } from '../lambdas/config/index.js';
import { BreakGlassProblem, checkBreakGlass } from '../lambdas/rules/index.js';
import { describeSecretRef } from '../lambdas/shared/secrets.js';
import { fail, ok, reasonOf, skip, type CheckResult } from './doctor-checks.js';

/** Accounts read, at most, while looking for members of the configured policies. */
export const POLICY_SCAN_LIMIT = 2_000;

const KEY = 'Atlassian API key';
const DIRECTORY = 'Atlassian directory';

const BREAK_GLASS_FIX: Record<string, string> = {
  [BreakGlassProblem.MISSING]: 'check the email in config.breakGlass against admin.atlassian.com > Directory > Users',
  [BreakGlassProblem.NOT_ACTIVE]: 'reactivate the account in admin.atlassian.com > Directory > Users',
  [BreakGlassProblem.SUSPENDED]: "restore the account's access in admin.atlassian.com > Directory > Users",
  [BreakGlassProblem.IN_BILLABLE_POLICY]:
    'move it to an authentication policy without SSO enforcement (admin.atlassian.com > Security > Authentication policies)',
  [BreakGlassProblem.POLICY_UNKNOWN]: 'check that the API key may read authentication policies (Admin Control API)',
  [BreakGlassProblem.ACCOUNT_ID_MISMATCH]: 'fix the accountId in config.breakGlass',
};

async function keyCheck(config: Config, client: AtlassianClient): Promise<CheckResult[]> {
  try {
    const dirs = await client.directories();
    const names = dirs.map((d) => `${d.name ?? '(no name)'} ${d.directoryId}`).join(', ');
    const results = [ok(KEY, `valid for org ${config.orgId} at ${config.atlassian.baseUrl}; directories: ${names}`)];
    const want = config.atlassian.directoryId;
    if (want === '-') results.push(ok(DIRECTORY, 'atlassian.directoryId is "-": every directory of the org'));
    else if (dirs.some((d) => d.directoryId === want)) results.push(ok(DIRECTORY, `${want} exists`));
    else
      results.push(
        fail(
          DIRECTORY,
          `atlassian.directoryId ${want} is not one of the org's directories (${dirs.map((d) => d.directoryId).join(', ')})`,
          'set atlassian.directoryId to one of them, or to "-" for all directories',
        ),
      );
    return results;
  } catch (err) {
    if (err instanceof UnauthorizedError)
      return [
        fail(
          KEY,
          `Atlassian refused the key (401) read from ${describeSecretRef(config.atlassian.apiKey)}`,
          'create an org admin API key in admin.atlassian.com > Settings > API keys and store it where atlassian.apiKey points',
        ),
      ];
    if (err instanceof ForbiddenError || err instanceof NotFoundError)
      return [
        fail(
          KEY,
          `the key was not accepted for org ${config.orgId} (${(err as { status?: number }).status ?? ''}): ${reasonOf(err)}`,
          'check orgId (admin.atlassian.com/o/<orgId>/...) and that the API key was created in that org',
        ),
      ];
    return [
      fail(
        KEY,
        `no answer from ${config.atlassian.baseUrl}: ${reasonOf(err)}`,
        'check atlassian.baseUrl and the network path to it',
      ),
    ];
  }
}

/**
 * Atlassian has no API that lists authentication policies: a policy id is confirmed by finding it
 * on accounts (bulk-fetch), reading at most POLICY_SCAN_LIMIT accounts.
 */
async function policyChecks(config: Config, client: AtlassianClient): Promise<CheckResult[]> {
  const want = [
    ['policies.billableId', config.policies.billableId],
    ['policies.nonbillableId', config.policies.nonbillableId],
  ] as const;
  const seen = new Map<string, { name?: string; members: number }>();
  let read = 0;
  try {
    for await (const page of client.pages()) {
      const ids = page.accounts.filter((a) => a.accountType === 'atlassian').map((a) => a.accountId);
      for (const p of ids.length > 0 ? await client.policyAssignments(ids) : []) {
        const s = seen.get(p.policyId) ?? { ...(p.policyName && { name: p.policyName }), members: 0 };
        s.members++;
        seen.set(p.policyId, s);
      }
      read += page.accounts.length;
      if (want.every(([, id]) => seen.has(id)) || read >= POLICY_SCAN_LIMIT) break;
    }
  } catch (err) {
    return want.map(([setting]) =>
      fail(
        `policy ${setting}`,
        `could not read policy assignments: ${reasonOf(err)}`,
        'see the Atlassian API key line',
      ),
    );
  }
  const found = [...seen].map(([id, s]) => `${id}${s.name ? ` "${s.name}"` : ''}`).join(', ') || 'none';
  return want.map(([setting, id]) => {
    const s = seen.get(id);
    if (s) return ok(`policy ${setting}`, `${id}${s.name ? ` "${s.name}"` : ''} exists (${s.members}+ members seen)`);
    return fail(
      `policy ${setting}`,
      `${id} is on none of the ${read} accounts read (policies seen: ${found})`,
      `copy the policy id from admin.atlassian.com > Security > Authentication policies (the id in the policy's URL) into ${setting}; a new policy with no member yet cannot be confirmed`,
    );
  });
}

async function breakGlassChecks(config: Config, client: AtlassianClient): Promise<CheckResult[]> {
  if (config.breakGlass.length === 0)
    return [skip('break-glass accounts', 'config.breakGlass names none (nothing protects an SSO outage)')];
  let accounts: ManagedAccount[];
  let policyOf: Map<string, string>;
  try {
    accounts = await client.accountsByEmail(config.breakGlass.map((b) => b.email));
    const policies = accounts.length > 0 ? await client.policyAssignments(accounts.map((a) => a.accountId)) : [];
    policyOf = new Map(policies.map((p) => [p.accountId ?? p.email.toLowerCase(), p.policyId]));
  } catch (err) {
    return [fail('break-glass accounts', `could not read them: ${reasonOf(err)}`, 'see the Atlassian API key line')];
  }
  const sightings = accounts.map((account) => ({
    account,
    policyId: policyOf.get(account.accountId) ?? policyOf.get(account.email?.toLowerCase() ?? ''),
  }));
  return config.breakGlass.map((entry) => {
    const check = `break-glass ${entry.email}`;
    const alerts = checkBreakGlass({ ...config, breakGlass: [entry] }, sightings);
    if (alerts.length > 0)
      return fail(
        check,
        alerts.map((a) => a.message).join(' '),
        alerts.map((a) => BREAK_GLASS_FIX[a.problem]).join('; '),
      );
    const s = sightings.find((x) => x.account.email?.toLowerCase() === entry.email.toLowerCase());
    return ok(check, `found, active, in policy ${s?.policyId ?? '?'} (not the SSO-enforced billable policy)`);
  });
}

/** Every Atlassian check, in order; without a usable key the later ones are skipped. */
export async function atlassianChecks(config: Config, client: AtlassianClient | undefined): Promise<CheckResult[]> {
  const later = ['policy policies.billableId', 'policy policies.nonbillableId', 'break-glass accounts'];
  if (!client) return [skip(KEY, 'no API key (see the secret line)'), ...later.map((c) => skip(c, 'no API key'))];
  const key = await keyCheck(config, client);
  if (key[0]!.verdict !== 'ok') return [...key, ...later.map((c) => skip(c, `needs a working ${KEY}`))];
  return [...key, ...(await policyChecks(config, client)), ...(await breakGlassChecks(config, client))];
}
