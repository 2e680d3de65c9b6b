import type { ManagedAccount } from '../atlassian/types.js';

/** Base of the plan's own errors: a run that throws one is FAILED and alerted (runPlan). */
export class PlanError extends Error {
  override readonly name: string = 'PlanError';
}

/**
 * The listing returned one account id twice. Proposing from such a listing would put two items
 * under one key (the content hash no longer matches, sending is refused and nobody is told), so
 * the run stops and says which account.
 */
export class DuplicateAccountError extends PlanError {
  override readonly name = 'DuplicateAccountError';
  constructor(
    readonly accountId: string,
    readonly pages: readonly [first: number, again: number],
  ) {
    super(
      `The Atlassian listing returned account ${accountId} more than once (pages ${pages[0]} and ${pages[1]}); ` +
        'nothing was proposed. Rerun the plan; if it repeats, the listing is inconsistent: report it to Atlassian.',
    );
  }
}

/** Remembers every account id seen in one listing, and on which page. */
export class UniqueAccounts {
  private readonly seen = new Map<string, number>();

  /** Throws DuplicateAccountError on the first id already seen, on this page or an earlier one. */
  check(accounts: readonly ManagedAccount[], page: number): void {
    for (const { accountId } of accounts) {
      const first = this.seen.get(accountId);
      if (first !== undefined) throw new DuplicateAccountError(accountId, [first, page]);
      this.seen.set(accountId, page);
    }
  }
}
