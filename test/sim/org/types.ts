/** A synthetic organization: the people both simulators (Atlassian and Graph) serve. */

export const PRODUCT_KEYS = ['jira-software', 'confluence', 'jira-service-desk'] as const;
export type ProductKey = (typeof PRODUCT_KEYS)[number];

export const MANAGEMENT_SOURCES = ['invited', 'synced'] as const;
export type ManagementSource = (typeof MANAGEMENT_SOURCES)[number] | null;

export interface ProductUse {
  readonly key: ProductKey;
  /** ISO timestamp of the last visit; absent when the person has access but never used it. */
  lastActive?: string;
}

/** A person as Entra ID knows them. */
export interface EntraPerson {
  /** Entra object id (GUID). */
  readonly id: string;
  readonly userPrincipalName: string;
  /** `mail` attribute; may differ in case from the Atlassian email. */
  readonly mail: string;
  accountEnabled: boolean;
  /** Ids of the groups this person is a direct member of. */
  readonly groups: string[];
  readonly lastSignIn?: string;
}

export interface Person {
  readonly index: number;
  readonly accountId: string;
  readonly displayName: string;
  /** Canonical (lower-case) email: the join key. */
  readonly email: string;
  /** The email as Atlassian stores it (may differ in case from Entra's). */
  readonly atlassianEmail: string;
  readonly accountType: 'atlassian' | 'app';
  accountStatus: 'active' | 'inactive' | 'closed';
  membershipStatus: 'active' | 'suspended';
  readonly orgAdmin: boolean;
  readonly breakGlass: boolean;
  readonly addedToOrg: string;
  /** Overall last activity (v1 `last_active`): the latest product visit, if any. */
  lastActive?: string;
  readonly products: ProductUse[];
  /** Which authentication policy the person is in (by configured id). */
  policyId: string;
  /**
   * v2 `managementSource`: `synced` = provisioned by SCIM from the identity provider (Atlassian
   * refuses to deactivate or suspend it through the API: `externalDirectory.scim`), `invited` =
   * added by an admin, null = Atlassian could not determine it.
   */
  managementSource: ManagementSource;
  /** Absent when the person has no Entra account (cloud-only, or gone from Entra). */
  readonly entra?: EntraPerson;
  /** v2 `department` and `organization` (the cost centre); absent when not set. */
  readonly department?: string;
  readonly organization?: string;
}

export interface Group {
  readonly id: string;
  readonly displayName: string;
  /** Ids of nested groups that are direct members of this group. */
  readonly nestedGroupIds: string[];
}

export interface SyntheticOrg {
  readonly orgId: string;
  readonly directoryId: string;
  readonly seed: number;
  /** "Now" of the org: every date is relative to it. */
  readonly now: string;
  readonly policies: { readonly billableId: string; readonly nonbillableId: string };
  readonly groups: { readonly confluence: string; readonly exclusion: string; readonly all: readonly Group[] };
  readonly people: Person[];
  /** Entra users with no Atlassian account (never signed up). */
  readonly entraOnly: EntraPerson[];
}
