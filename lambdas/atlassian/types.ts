/** Domain types of the Atlassian organization, as the core sees them (API field names mapped once, in the client). */

export const AccountStatus = { ACTIVE: 'active', INACTIVE: 'inactive', CLOSED: 'closed' } as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

export type AccountType = 'atlassian' | 'customer' | 'app';

/** Last activity in one product (key as Atlassian names it: `confluence`, `jira-software`, ...). */
export interface ProductActivity {
  readonly key: string;
  readonly name?: string;
  /** ISO 8601; absent when the user has access but was never active in the product. */
  readonly lastActive?: string;
}

/** A managed account, normalised from either listing (v1 `/users` or v2 `users/search`). */
export interface ManagedAccount {
  readonly accountId: string;
  /** Absent when the user restricted the visibility of their email. */
  readonly email?: string;
  readonly name: string;
  readonly accountType: AccountType;
  readonly accountStatus: AccountStatus;
  /** v2 only: `suspended` when suspended in every directory. */
  readonly membershipStatus?: 'active' | 'suspended' | 'no_membership';
  /** v1 only: latest activity across products. */
  readonly lastActive?: string;
  /** v2 only: when the user was first added to the org. */
  readonly addedToOrg?: string;
  readonly products: readonly ProductActivity[];
  /** v1 only: billed for Atlassian Guard right now. */
  readonly accessBillable?: boolean;
  /** v2 only (expand platformRoles): admin roles such as `atlassian/org-admin`. */
  readonly platformRoles?: readonly string[];
  /**
   * v2 only (`managementSource`): how the account was added to the directory. `synced` =
   * provisioned by SCIM from the identity provider: Atlassian refuses to deactivate it through the
   * API (`externalDirectory.scim`), so the change must be handed to the identity-provider admin.
   * `invited` = added by an admin. null = not determined (Atlassian sent null, left the field out,
   * or sent a value this client does not know): read `lifecyclePermission` before acting. Absent
   * from v1 accounts only.
   */
  readonly managementSource?: ManagementSource | null;
  /** v2 only: profile `department` and `organization` (finance's cost centre). */
  readonly department?: string;
  readonly organization?: string;
}

export const ManagementSource = { INVITED: 'invited', SYNCED: 'synced' } as const;
export type ManagementSource = (typeof ManagementSource)[keyof typeof ManagementSource];

/**
 * Whether the API key may deactivate/activate an account (`lifecycle.enablement`); when not,
 * `reason` is Atlassian's restriction key (`externalDirectory.scim`, `administrative`, ...).
 */
export type LifecyclePermission = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Which authentication policy a user is in (bulk-fetch). */
export interface PolicyAssignment {
  readonly accountId?: string;
  readonly email: string;
  readonly policyId: string;
  readonly policyName?: string;
}

/** Outcome of an add-users task, per user. */
export interface TaskOutcome {
  readonly taskId: string;
  readonly succeeded: readonly string[];
  readonly failed: readonly {
    readonly email: string;
    readonly status?: number;
    readonly title?: string;
    readonly detail?: string;
  }[];
}
