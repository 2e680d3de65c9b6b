/**
 * `lifecycle explain <email|accountId>`: the decision the rules make for one account today, with
 * every input and the reason — proposed, kept, excluded or undecided (needs data). The plan's own
 * fact gathering (org admin list, Entra membership, tenant domains, policy, follow-up dates) and
 * rules; read-only: it writes nothing.
 */
import type { Command } from 'commander';
import type { ManagedAccount } from '../../lambdas/atlassian/index.js';
import type { Config } from '../../lambdas/config/index.js';
import type { Decision } from '../../lambdas/rules/index.js';
import { CliError, globalsOf, loadConfig, printJson, run, stderrLogger } from './common.js';
import { checkStore } from './store-check.js';
import { parseAsOfOption } from './values.js';

export function register(program: Command): void {
  program
    .command('explain')
    .description(
      'The decision the rules make for one account today, with every input and the reason: proposed (the action), kept, excluded, or undecided (the data it lacks). Reads Atlassian and Entra ID; writes nothing.',
    )
    .argument('<who>', 'the account: email or Atlassian account id')
    .option('--as-of <date>', 'evaluate as of this day (YYYY-MM-DD) or instant', parseAsOfOption)
    .action(run('explain', explainAction));
}

/** What the command prints (and --json returns). */
export interface Explanation {
  readonly verdict: 'proposed' | 'kept' | 'excluded' | 'undecided';
  readonly line: string;
  readonly account: ManagedAccount;
  readonly policy: { readonly id?: string; readonly is: string };
  readonly onOrgAdminList: boolean;
  readonly decision: Decision;
}

async function explainAction(who: string, opts: { asOf?: string }, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv, createPlanDeps } = await import('../../lambdas/wiring/index.js');
  const { planAsOf } = await import('../../lambdas/plan/index.js');
  const { readRunFacts } = await import('../../lambdas/plan/run-facts.js');
  const { evaluateWithFollowUp } = await import('../../lambdas/plan/follow-up.js');
  const { createRuleContext } = await import('../../lambdas/rules/index.js');
  const env = runtimeEnv();
  await checkStore(env, ['state', 'audit', 'seats']);
  const wired = await createPlanDeps({ config, env, logger: stderrLogger(g) });
  const deps = opts.asOf ? planAsOf(wired, opts.asOf, '--as-of') : wired;
  const account = await find(deps.org, who.trim());
  const ctx = createRuleContext(config, new Date(deps.clock.now()));
  const facts = await readRunFacts(deps, ctx, `explain-${Date.now()}`);
  const [evaluated] = await evaluateWithFollowUp(
    deps,
    facts.ctx,
    facts.join,
    facts.membership,
    [account],
    facts.orgAdmins,
  );
  const e = explanation(
    config,
    evaluated!.account,
    evaluated!.policyId,
    facts.orgAdmins.has(account.accountId),
    evaluated!.decision,
  );
  if (g.json) printJson(e);
  else console.log(render(e));
  return 0;
}

async function find(org: unknown, who: string): Promise<ManagedAccount> {
  if (!who) throw new CliError('give an email or an account id.');
  const client = org as {
    accountsByEmail(e: readonly string[]): Promise<ManagedAccount[]>;
    accountsById?(ids: readonly string[]): Promise<ManagedAccount[]>;
  };
  const found = who.includes('@') ? await client.accountsByEmail([who]) : await client.accountsById!([who]);
  const hit = found.find((a) => a.accountId === who || a.email?.toLowerCase() === who.toLowerCase());
  if (!hit)
    throw new CliError(
      `no managed account with ${who.includes('@') ? 'email' : 'account id'} "${who}" in org's directory (atlassian.directoryId): check the spelling, or use the other form (email or account id).`,
    );
  return hit;
}

export function explanation(
  config: Config,
  account: ManagedAccount,
  policyId: string | undefined,
  onOrgAdminList: boolean,
  decision: Decision,
): Explanation {
  const is =
    policyId === undefined
      ? 'unknown (not returned by the policy read)'
      : policyId === config.policies.billableId
        ? 'the billable policy'
        : policyId === config.policies.nonbillableId
          ? 'the nonbillable policy'
          : 'another policy (not configured)';
  const who = `${account.email ?? '(email hidden)'} (${account.accountId})`;
  const line =
    decision.kind === 'action'
      ? `${who}: PROPOSED ${decision.action} (${decision.reason}): ${decision.summary}`
      : decision.kind === 'excluded'
        ? `${who}: EXCLUDED (${decision.reason}): ${decision.summary}`
        : decision.kind === 'keep'
          ? `${who}: KEPT: ${decision.summary}`
          : `${who}: UNDECIDED (needs ${decision.missing.join(', ')}): ${decision.summary}`;
  const verdict = ({ action: 'proposed', excluded: 'excluded', keep: 'kept', 'needs-data': 'undecided' } as const)[
    decision.kind
  ];
  return { verdict, line, account, policy: { ...(policyId && { id: policyId }), is }, onOrgAdminList, decision };
}

function render(e: Explanation): string {
  const a = e.account;
  const ev = 'evidence' in e.decision ? e.decision.evidence : undefined;
  const rows: [string, unknown][] = [
    ['account', `${a.name} <${a.email ?? 'email hidden'}> ${a.accountId}`],
    [
      'type',
      `${a.accountType}, status ${a.accountStatus}, membership ${a.membershipStatus ?? 'n/a'}, source ${a.managementSource ?? 'unknown'}`,
    ],
    ['policy', `${e.policy.id ?? '-'}: ${e.policy.is}`],
    ['org admin', e.onOrgAdminList ? 'on the org admin list' : 'not on the org admin list'],
    ['added', a.addedToOrg],
    ['products', a.products.map((p) => `${p.key} ${p.lastActive ?? 'never active'}`).join(', ') || 'none'],
    ['entra', ev?.entra ? entraLine(ev.entra) : 'not joined (email hidden, not found, or ambiguous)'],
    [
      'run date',
      ev &&
        `${ev.runDate} (${ev.timeZone}), stale after ${ev.staleAfterDays} days, grace ${ev.newAccountGraceDays} days`,
    ],
    [
      'inactive',
      ev?.inactiveDays !== undefined
        ? `${ev.inactiveDays} days (last ${ev.lastActivity?.sourceName} ${ev.lastActivity?.date})`
        : undefined,
    ],
    [
      'confluence',
      ev?.confluenceNeed &&
        `${ev.confluenceNeed.needed === undefined ? 'unsettled' : ev.confluenceNeed.needed ? 'needs it' : 'does not need it'}: ${ev.confluenceNeed.because}`,
    ],
  ];
  const body = rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `  ${k.padEnd(11)}${String(v)}`);
  return [e.line, ...body].join('\n');
}

function entraLine(x: NonNullable<Extract<Decision, { evidence: unknown }>['evidence']['entra']>): string {
  const parts = [
    x.found === undefined ? 'existence not read' : x.found ? 'found' : 'not found',
    x.accountEnabled === undefined ? undefined : x.accountEnabled ? 'enabled' : 'disabled',
    x.inConfluenceGroup ? 'in the Confluence group' : 'not in the Confluence group',
    x.exclusionGroupIds.length ? `in exclusion groups ${x.exclusionGroupIds.join(', ')}` : undefined,
    x.lastSignIn && `last sign-in ${x.lastSignIn}`,
  ];
  return parts.filter(Boolean).join(', ');
}
