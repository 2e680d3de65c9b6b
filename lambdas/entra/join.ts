import type { ManagedAccount } from '../atlassian/types.js';
import type { EntraMembership } from './membership.js';
import type { EntraAccountFacts, EntraLookup, EntraMember } from './types.js';

/** What the join needs from an Atlassian account. */
export type JoinableAccount = Pick<ManagedAccount, 'accountId' | 'email'>;

export interface UnmatchedOptions {
  /** Only members of the Confluence group (people who need Confluence but have no Atlassian account). @default false */
  readonly onlyConfluenceGroup?: boolean;
}

/**
 * The incremental join: call `match` for every Atlassian account as its page streams by, then
 * `unmatchedMembers` once every page has been seen. Memory: one Set of matched Entra ids.
 */
export class EmailJoin {
  private readonly matched = new Set<string>();
  private accounts = 0;
  private missing = 0;
  private withoutEmail = 0;

  constructor(private readonly membership: EntraMembership) {}

  /** Looks the account up and remembers the Entra user as matched. */
  match(account: JoinableAccount): EntraLookup {
    this.accounts++;
    if (!account.email) {
      this.withoutEmail++;
      return { found: false };
    }
    const result = this.membership.lookup(account.email);
    if (result.found) this.matched.add(result.member.id);
    else this.missing++;
    return result;
  }

  /**
   * `match`, as the rules engine's facts. Undefined (unknown, so never acted on) for an account
   * with a hidden email, or an email that more than one Entra user carries.
   */
  facts(account: JoinableAccount): EntraAccountFacts | undefined {
    if (!account.email) {
      this.match(account);
      return undefined;
    }
    return toAccountFacts(this.match(account));
  }

  /** Entra users no Atlassian account matched. Meaningful only after every account went through `match`. */
  unmatchedMembers(options: UnmatchedOptions = {}): EntraMember[] {
    const out: EntraMember[] = [];
    for (const m of this.membership.members()) {
      if (this.matched.has(m.id)) continue;
      if (options.onlyConfluenceGroup && !m.inConfluenceGroup) continue;
      out.push(m);
    }
    return out;
  }

  /** Running totals. `missingInEntra` counts accounts with an email that matched no Entra user. */
  get counts(): {
    readonly accounts: number;
    readonly matched: number;
    readonly missingInEntra: number;
    readonly withoutEmail: number;
  } {
    return {
      accounts: this.accounts,
      matched: this.accounts - this.missing - this.withoutEmail,
      missingInEntra: this.missing,
      withoutEmail: this.withoutEmail,
    };
  }
}

/** A lookup as the rules engine's facts; undefined when ambiguous. */
export function toAccountFacts(lookup: EntraLookup): EntraAccountFacts | undefined {
  if (!lookup.found) return { found: false, inConfluenceGroup: false, exclusionGroupIds: [] };
  if (lookup.ambiguous) return undefined;
  const m = lookup.member;
  return {
    found: true,
    accountEnabled: m.accountEnabled,
    inConfluenceGroup: m.inConfluenceGroup,
    exclusionGroupIds: m.exclusionGroupIds,
    ...(m.lastSignIn !== undefined && { lastSignIn: m.lastSignIn }),
  };
}

export interface JoinResult<A extends JoinableAccount> {
  readonly matched: readonly {
    readonly account: A;
    readonly member: EntraMember;
    readonly matchedBy: 'mail' | 'userPrincipalName';
    readonly ambiguous: boolean;
  }[];
  /** Atlassian accounts whose email matches no Entra user (in the membership's scope). */
  readonly missingInEntra: readonly A[];
  /** Atlassian accounts with a hidden email: they cannot be joined. */
  readonly withoutEmail: readonly A[];
  /** Entra users that match no Atlassian account. */
  readonly missingInAtlassian: readonly EntraMember[];
}

/** The whole join at once (tests, small orgs). Same rules as EmailJoin. */
export function joinByEmail<A extends JoinableAccount>(
  accounts: Iterable<A>,
  membership: EntraMembership,
  options: UnmatchedOptions = {},
): JoinResult<A> {
  const join = new EmailJoin(membership);
  const matched: { account: A; member: EntraMember; matchedBy: 'mail' | 'userPrincipalName'; ambiguous: boolean }[] =
    [];
  const missingInEntra: A[] = [];
  const withoutEmail: A[] = [];
  for (const account of accounts) {
    const result = join.match(account);
    if (result.found)
      matched.push({ account, member: result.member, matchedBy: result.matchedBy, ambiguous: result.ambiguous });
    else if (account.email) missingInEntra.push(account);
    else withoutEmail.push(account);
  }
  return { matched, missingInEntra, withoutEmail, missingInAtlassian: join.unmatchedMembers(options) };
}
