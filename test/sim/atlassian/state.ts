/** The simulator's live organization: lookups and the state changes the API can make. */
import type { Person, SyntheticOrg } from '../org/index.js';

export type PolicyType = 'billable' | 'nonbillable';

export interface PolicyInfo {
  readonly id: string;
  readonly name: string;
  readonly type: PolicyType;
}

export class OrgState {
  private readonly byId = new Map<string, { person: Person; position: number }>();
  private readonly byEmail = new Map<string, Person>();

  constructor(readonly org: SyntheticOrg) {
    org.people.forEach((person, position) => {
      this.byId.set(person.accountId, { person, position });
      this.byEmail.set(person.atlassianEmail.toLowerCase(), person);
    });
  }

  person(accountId: string): Person | undefined {
    return this.byId.get(accountId)?.person;
  }

  /** Case-insensitive email lookup. */
  personByEmail(email: string): Person | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  /** Position in `org.people` (the stable iteration order), or -1. */
  position(accountId: string): number {
    return this.byId.get(accountId)?.position ?? -1;
  }

  policy(policyId: string): PolicyInfo | undefined {
    const { billableId, nonbillableId } = this.org.policies;
    if (policyId === billableId) return { id: policyId, name: 'SSO (billable)', type: 'billable' };
    if (policyId === nonbillableId) return { id: policyId, name: 'Nonbillable users', type: 'nonbillable' };
    return undefined;
  }

  /**
   * v1 `access_billable`: an active Atlassian account, not suspended, in the billable policy, with
   * access to at least one product. App accounts are never billed.
   */
  isBillable(p: Person): boolean {
    return (
      p.accountType === 'atlassian' &&
      p.accountStatus === 'active' &&
      p.membershipStatus === 'active' &&
      p.policyId === this.org.policies.billableId &&
      p.products.length > 0
    );
  }

  /** v2 `status`: composite of account and membership status. */
  status(p: Person): 'active' | 'suspended' | 'deactivated' {
    if (p.accountStatus !== 'active') return 'deactivated';
    return p.membershipStatus === 'suspended' ? 'suspended' : 'active';
  }

  /** Sets the account status; false when it already had it. */
  setAccountStatus(p: Person, status: 'active' | 'inactive'): boolean {
    if (p.accountStatus === status) return false;
    p.accountStatus = status;
    return true;
  }

  /** Sets the membership status; false when it already had it. */
  setMembership(p: Person, status: 'active' | 'suspended'): boolean {
    if (p.membershipStatus === status) return false;
    p.membershipStatus = status;
    return true;
  }

  /** Moves a person into an authentication policy; false when already there. */
  setPolicy(p: Person, policyId: string): boolean {
    if (p.policyId === policyId) return false;
    p.policyId = policyId;
    return true;
  }
}
