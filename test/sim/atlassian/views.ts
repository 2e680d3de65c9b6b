/** JSON views of a person, as each endpoint shows them (field names from the OpenAPI files). */
import type { Person, ProductKey } from '../org/index.js';
import type { OrgState } from './state.js';
import type { AdminRolesView } from './types.js';

const PRODUCT_NAMES: Record<ProductKey, string> = {
  'jira-software': 'Jira Software',
  confluence: 'Confluence',
  'jira-service-desk': 'Jira Service Management',
};

/** The one site every product lives on. */
export function siteUrl(orgId: string): string {
  return `https://sim-${orgId.slice(0, 8)}.atlassian.net`;
}

function productUrl(orgId: string, key: ProductKey): string {
  return key === 'confluence' ? `${siteUrl(orgId)}/wiki` : siteUrl(orgId);
}

/** Product instance id as an ARI (`ari:cloud:confluence::site/<cloudId>`). */
export function productAri(orgId: string, key: ProductKey): string {
  const product = key === 'confluence' ? 'confluence' : 'jira';
  return `ari:cloud:${product}::site/${orgId}`;
}

export function pictureUrl(accountId: string): string {
  return `https://avatar-management.example.invalid/avatar/${encodeURIComponent(accountId)}`;
}

/** `yyyy-MM-dd'T'HH:mm:ss'Z'` (no milliseconds), as last-active-dates documents it. */
const seconds = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

/** v1 `User` (GET /admin/v1/orgs/{orgId}/users). */
export function v1User(state: OrgState, p: Person, baseUrl: string): Record<string, unknown> {
  const orgId = state.org.orgId;
  return {
    account_id: p.accountId,
    account_type: p.accountType,
    account_status: p.accountStatus,
    name: p.displayName,
    picture: pictureUrl(p.accountId),
    email: p.atlassianEmail,
    access_billable: state.isBillable(p),
    ...(p.lastActive && { last_active: p.lastActive }),
    product_access: p.products.map((u) => ({
      key: u.key,
      name: PRODUCT_NAMES[u.key],
      url: productUrl(orgId, u.key),
      ...(u.lastActive && { last_active: u.lastActive }),
    })),
    links: { self: `${baseUrl}/users/${encodeURIComponent(p.accountId)}/manage/profile` },
  };
}

/**
 * v2 `MultiDirectoryUser` (POST .../users/search); `expand` adds productAccess and platformRoles.
 * `adminRoles` (a fault) shows an org admin's roles left out or empty.
 */
export function v2User(
  state: OrgState,
  p: Person,
  expand: readonly string[],
  adminRoles?: AdminRolesView,
): Record<string, unknown> {
  const orgId = state.org.orgId;
  return {
    accountId: p.accountId,
    accountType: 'atlassian',
    accountStatus: p.accountStatus,
    membershipStatus: p.membershipStatus,
    status: state.status(p),
    addedToOrg: p.addedToOrg,
    claimStatus: 'managed',
    email: p.atlassianEmail,
    emailVerified: true,
    name: p.displayName,
    nickname: p.displayName.split(' ')[0],
    picture: pictureUrl(p.accountId),
    avatar: pictureUrl(p.accountId),
    // The spec calls the field nullable ("null: couldn't be determined") but its enum has no null,
    // which a strict OpenAPI 3.0.3 reading refuses: an undetermined source is left out instead.
    ...(p.managementSource !== null && { managementSource: p.managementSource }),
    ...(p.department && { department: p.department }),
    ...(p.organization && { organization: p.organization }),
    ...(expand.includes('productAccess') && {
      productAccess: p.products.map((u) => ({
        id: productAri(orgId, u.key),
        key: u.key,
        ...(u.lastActive && { lastActiveTimestamp: u.lastActive }),
      })),
    }),
    ...(expand.includes('platformRoles') && platformRoles(p, adminRoles)),
  };
}

function platformRoles(p: Person, view: AdminRolesView | undefined): { platformRoles?: string[] } {
  if (!p.orgAdmin) return { platformRoles: [] };
  if (view === 'omitted') return {};
  return { platformRoles: view === 'empty' ? [] : ['atlassian/org-admin'] };
}

/** `UserProductAccessModel` (last-active-dates): only products the person has visited. */
export function lastActiveDates(state: OrgState, p: Person): Record<string, unknown> {
  return {
    product_access: p.products
      .filter((u) => u.lastActive)
      .map((u) => ({
        id: productAri(state.org.orgId, u.key),
        key: u.key,
        last_active: u.lastActive!.slice(0, 10),
        last_active_timestamp: seconds(u.lastActive!),
      })),
    added_to_org: p.addedToOrg.slice(0, 10),
    added_to_org_timestamp: seconds(p.addedToOrg),
  };
}
