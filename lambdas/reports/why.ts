import { whyBillable, type AccountFacts, type BillingRule, type BillingVerdict } from './billing.js';
import { SeatsQueryError } from './errors.js';
import type { AccountFactsSource } from './ports.js';

export interface WhyAnswer {
  readonly account: AccountFacts;
  readonly verdict: BillingVerdict;
  /** "ann@example.com (5b10ac...): Billed on Guard Standard: ...", for `lifecycle seats why`. */
  readonly line: string;
}

/** Why one account (by email, any case, or account id) is or is not billed, in one line. */
export async function explainAccount(
  source: AccountFactsSource,
  q: { orgId: string; who: string; rule: BillingRule },
): Promise<WhyAnswer> {
  const who = q.who.trim();
  const email = who.toLowerCase();
  for await (const account of source.accounts(q.orgId)) {
    if (account.accountId !== who && account.email?.toLowerCase() !== email) continue;
    const verdict = whyBillable(account, q.rule);
    const name = account.email ? `${account.email} (${account.accountId})` : account.accountId;
    return { account, verdict, line: `${name}: ${verdict.evidence}` };
  }
  throw new SeatsQueryError(
    `No managed account with email or account id ${JSON.stringify(who)} in organization ${q.orgId}. Check the spelling; an account whose email is hidden is found by its account id only.`,
    'who',
    who,
  );
}
