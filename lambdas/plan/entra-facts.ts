import { DirectoryScope, type EmailJoin, type EntraMembership } from '../entra/index.js';
import type { ManagedAccount } from '../atlassian/types.js';
import type { EntraFacts } from '../rules/index.js';

/**
 * The Entra facts the rules read, never inventing a leaver: a hidden or shared email gives
 * `undefined` (unknown; the rules never act on it), and "not found" means "gone from Entra"
 * (`found: false`) only when every user of the tenant was read. With only group members read,
 * existence is left unknown and the person is simply in none of the groups.
 */
export function entraFacts(
  join: EmailJoin,
  membership: EntraMembership,
  account: ManagedAccount,
): EntraFacts | undefined {
  const facts = join.facts(account);
  if (facts?.found === false && membership.scope !== DirectoryScope.ALL_USERS) {
    const { found: _unknown, ...rest } = facts;
    return rest;
  }
  return facts;
}
