/**
 * Application permissions (Microsoft Graph, admin-consented) this reader needs, least privileged.
 * Sources: learn.microsoft.com/graph/api/group-list-transitivemembers (GroupMember.Read.All),
 * learn.microsoft.com/graph/api/user-list (User.Read.All; signInActivity also AuditLog.Read.All and
 * an Entra ID P1 licence), learn.microsoft.com/graph/api/domain-list (Domain.Read.All).
 */
export const GraphPermission = {
  /** List the transitive members of the Confluence and exclusion groups. */
  GROUP_MEMBERS: 'GroupMember.Read.All',
  /** Read mail, userPrincipalName and accountEnabled of members (without it Graph returns ids only). */
  USERS: 'User.Read.All',
  /** Read signInActivity (also needs Entra ID P1). */
  SIGN_IN_ACTIVITY: 'AuditLog.Read.All',
  /** List the tenant's domains (only when entra.tenantDomains is not configured). */
  DOMAINS: 'Domain.Read.All',
} as const;
export type GraphPermission = (typeof GraphPermission)[keyof typeof GraphPermission];

/** Where an admin grants an application permission: one sentence, reused by every 403 message. */
export function howToGrant(permission: GraphPermission, clientId: string): string {
  return (
    `Grant the Microsoft Graph application permission ${permission} to the app registration ${clientId} ` +
    `(Entra admin center > App registrations > API permissions > Add a permission > Microsoft Graph > ` +
    `Application permissions), then press "Grant admin consent".`
  );
}
