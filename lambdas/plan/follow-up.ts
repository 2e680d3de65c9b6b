import type { ManagedAccount, ProductActivity } from '../atlassian/types.js';
import type { EmailJoin, EntraMembership } from '../entra/index.js';
import { evaluateAccount, type RuleContext } from '../rules/index.js';
import type { Decision } from '../rules/index.js';
import { entraFacts } from './entra-facts.js';
import type { PlanDeps } from './ports.js';

export interface Evaluated {
  readonly account: ManagedAccount;
  readonly policyId?: string;
  readonly decision: Decision;
}

/** Missing data the per-user last-active-dates endpoint can supply. */
const FROM_LAST_ACTIVE = new Set(['addedToOrg', 'lastActive']);

function merge(account: ManagedAccount, extra: { addedToOrg?: string; products: ProductActivity[] }): ManagedAccount {
  const byKey = new Map(account.products.map((p) => [p.key, p]));
  for (const p of extra.products) {
    const had = byKey.get(p.key);
    if (!had?.lastActive || (p.lastActive && p.lastActive > had.lastActive)) byKey.set(p.key, { ...had, ...p });
  }
  return {
    ...account,
    ...(extra.addedToOrg && !account.addedToOrg && { addedToOrg: extra.addedToOrg }),
    products: [...byKey.values()],
  };
}

/**
 * Evaluates one page: one bulk policy fetch for the page, the Entra join, the org admin list (read
 * once per run), the rules; then, only for the few accounts the rules could not settle for lack of
 * a date, one per-user last-active-dates call each (limited to 200/min by Atlassian: never the
 * common path).
 */
export async function evaluateWithFollowUp(
  deps: PlanDeps,
  ctx: RuleContext,
  join: EmailJoin,
  membership: EntraMembership,
  accounts: readonly ManagedAccount[],
  orgAdmins: ReadonlySet<string>,
): Promise<Evaluated[]> {
  const policies = accounts.length > 0 ? await deps.org.policyAssignments(accounts.map((a) => a.accountId)) : [];
  const byId = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const p of policies) {
    if (p.accountId) byId.set(p.accountId, p.policyId);
    byEmail.set(p.email.toLowerCase(), p.policyId);
  }
  const out: Evaluated[] = [];
  const followUps: Promise<void>[] = [];
  for (const account of accounts) {
    const policyId =
      byId.get(account.accountId) ?? (account.email ? byEmail.get(account.email.toLowerCase()) : undefined);
    const entra = entraFacts(join, membership, account);
    const input = { account, ...(policyId && { policyId }), entra, onOrgAdminList: orgAdmins.has(account.accountId) };
    const decision = evaluateAccount(ctx, input);
    const slot = out.push({ account, ...(policyId && { policyId }), decision }) - 1;
    if (decision.kind === 'needs-data' && decision.missing.every((m) => FROM_LAST_ACTIVE.has(m))) {
      followUps.push(
        deps.org.lastActiveDates(account.accountId).then((extra) => {
          const merged = merge(account, extra);
          out[slot] = {
            account: merged,
            ...(policyId && { policyId }),
            decision: evaluateAccount(ctx, { ...input, account: merged }),
          };
        }),
      );
    }
  }
  await Promise.all(followUps);
  return out;
}
