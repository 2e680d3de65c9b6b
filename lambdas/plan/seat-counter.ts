import type { ManagedAccount } from '../atlassian/types.js';

export interface SeatTotals {
  managed: number;
  active: number;
  billable: number;
  perPolicy: Record<string, number>;
  perProduct: Record<string, number>;
}

/**
 * Counts Guard seats as accounts stream by (no per-user state). Billable: the listing's
 * `access_billable` when it has one (v1); otherwise derived as Atlassian documents it: an active
 * account with product access, not suspended, in a billable policy (contracts/README.md:
 * deactivated, suspended and nonbillable-policy users are not billed).
 */
export class SeatCounter {
  readonly totals: SeatTotals = { managed: 0, active: 0, billable: 0, perPolicy: {}, perProduct: {} };

  constructor(private readonly billablePolicyId: string) {}

  add(account: ManagedAccount, policyId: string | undefined): void {
    const t = this.totals;
    t.managed += 1;
    const active = account.accountStatus === 'active' && account.membershipStatus !== 'suspended';
    if (!active) return;
    t.active += 1;
    const policy = policyId ?? 'unknown';
    t.perPolicy[policy] = (t.perPolicy[policy] ?? 0) + 1;
    for (const p of new Set(account.products.map((x) => x.key))) t.perProduct[p] = (t.perProduct[p] ?? 0) + 1;
    const billable =
      account.accessBillable ??
      (account.accountType === 'atlassian' && account.products.length > 0 && policyId === this.billablePolicyId);
    if (billable) t.billable += 1;
  }
}
