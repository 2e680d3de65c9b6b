import type { ManagedAccount } from './types.js';
import type { V1User, V2User } from './schemas.js';

/** v1 `/users` item → ManagedAccount. */
export function fromV1(u: V1User): ManagedAccount {
  return {
    accountId: u.account_id,
    ...(u.email !== undefined && { email: u.email }),
    name: u.name,
    accountType: u.account_type,
    accountStatus: u.account_status,
    ...(u.last_active !== undefined && { lastActive: u.last_active }),
    products: (u.product_access ?? []).map((p) => ({
      key: p.key,
      name: p.name,
      ...(p.last_active !== undefined && { lastActive: p.last_active }),
    })),
    ...(u.access_billable !== undefined && { accessBillable: u.access_billable }),
  };
}

/**
 * v2 `users/search` item → ManagedAccount. We always ask for `expand: platformRoles`, yet a live
 * listing has left the list out for org admins: an absent list stays absent ("roles unknown", and
 * the rules hold back any action); only a list that is present, even empty, counts as read.
 */
export function fromV2(u: V2User): ManagedAccount {
  // Several sites of one product give several entries: keep the latest per product key.
  const latest = new Map<string, string | undefined>();
  for (const p of u.productAccess ?? []) {
    const prev = latest.get(p.key);
    if (
      !latest.has(p.key) ||
      (p.lastActiveTimestamp && (!prev || Date.parse(p.lastActiveTimestamp) > Date.parse(prev)))
    )
      latest.set(p.key, p.lastActiveTimestamp);
  }
  return {
    accountId: u.accountId,
    ...(u.email !== undefined && { email: u.email }),
    name: u.name ?? u.nickname ?? '',
    accountType: u.accountType,
    accountStatus: u.accountStatus,
    ...(u.membershipStatus !== undefined && { membershipStatus: u.membershipStatus }),
    ...(u.addedToOrg !== undefined && { addedToOrg: u.addedToOrg }),
    products: [...latest].map(([key, lastActive]) => ({ key, ...(lastActive !== undefined && { lastActive }) })),
    ...(u.platformRoles !== undefined && { platformRoles: u.platformRoles }),
    // Absent, null or a value we do not know: Atlassian could not tell (types.ts).
    managementSource: u.managementSource ?? null,
    ...(u.department && { department: u.department }),
    ...(u.organization && { organization: u.organization }),
  };
}
