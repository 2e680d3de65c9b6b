/** The tenant the Graph simulator serves: users and groups (with nesting), seeded from a SyntheticOrg. */
import type { EntraPerson, SyntheticOrg } from '../org/index.js';

export interface SimUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly mail: string | null;
  accountEnabled: boolean;
  lastSignIn?: string;
}

export interface SimGroup {
  readonly id: string;
  readonly displayName: string;
  /** Direct member users (ids). */
  readonly userIds: string[];
  /** Direct member groups (ids). */
  readonly nestedGroupIds: string[];
}

export type DirectoryObject =
  { readonly kind: 'user'; readonly user: SimUser } | { readonly kind: 'group'; readonly group: SimGroup };

function displayNameOf(mail: string): string {
  return mail
    .split('@')[0]!
    .split(/[._-]/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(' ');
}

export class TenantModel {
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, SimGroup>();
  private readonly transitiveCache = new Map<string, readonly DirectoryObject[]>();

  /** Every Entra person of the org (people with `entra`, then `entraOnly`), and every group with its nesting. */
  static fromOrg(org: SyntheticOrg): TenantModel {
    const model = new TenantModel();
    for (const g of org.groups.all)
      model.groups.set(g.id, {
        id: g.id,
        displayName: g.displayName,
        userIds: [],
        nestedGroupIds: [...g.nestedGroupIds],
      });
    const add = (e: EntraPerson, displayName: string) => {
      model.users.set(e.id, {
        id: e.id,
        displayName,
        userPrincipalName: e.userPrincipalName,
        mail: e.mail === '' ? null : e.mail,
        accountEnabled: e.accountEnabled,
        ...(e.lastSignIn !== undefined && { lastSignIn: e.lastSignIn }),
      });
      for (const gid of e.groups) model.group(gid).userIds.push(e.id);
    };
    for (const p of org.people) if (p.entra) add(p.entra, p.displayName);
    for (const e of org.entraOnly) add(e, displayNameOf(e.mail));
    return model;
  }

  /** The group, created empty if unknown (a person may name a group the org's list lacks). */
  group(id: string): SimGroup {
    let g = this.groups.get(id);
    if (!g) {
      g = { id, displayName: id, userIds: [], nestedGroupIds: [] };
      this.groups.set(id, g);
    }
    return g;
  }

  /**
   * Every object under a group, transitively, each once: nested groups and users, ordered by id
   * (so nested groups sit among the users, as in Graph). Undefined when the group does not exist.
   */
  transitive(groupId: string): readonly DirectoryObject[] | undefined {
    const root = this.groups.get(groupId);
    if (!root) return undefined;
    const cached = this.transitiveCache.get(groupId);
    if (cached) return cached;
    const seenGroups = new Set<string>([groupId]);
    const seenUsers = new Set<string>();
    const out: DirectoryObject[] = [];
    const queue = [root];
    while (queue.length > 0) {
      const g = queue.shift()!;
      for (const uid of g.userIds) {
        const user = this.users.get(uid);
        if (user && !seenUsers.has(uid)) {
          seenUsers.add(uid);
          out.push({ kind: 'user', user });
        }
      }
      for (const nid of g.nestedGroupIds) {
        if (seenGroups.has(nid)) continue;
        seenGroups.add(nid);
        const nested = this.group(nid);
        out.push({ kind: 'group', group: nested });
        queue.push(nested);
      }
    }
    out.sort((a, b) => idOf(a).localeCompare(idOf(b)));
    this.transitiveCache.set(groupId, out);
    return out;
  }

  /** Every user, in a stable order. */
  allUsers(): readonly SimUser[] {
    return [...this.users.values()];
  }

  /** Changes made by tests at runtime: each invalidates the transitive cache. */
  setAccountEnabled(userId: string, enabled: boolean): void {
    this.mustUser(userId).accountEnabled = enabled;
  }

  addToGroup(groupId: string, userId: string): void {
    this.mustUser(userId);
    this.group(groupId).userIds.push(userId);
    this.transitiveCache.clear();
  }

  deleteUser(userId: string): void {
    this.mustUser(userId);
    this.users.delete(userId);
    for (const g of this.groups.values()) {
      const i = g.userIds.indexOf(userId);
      if (i >= 0) g.userIds.splice(i, 1);
    }
    this.transitiveCache.clear();
  }

  private mustUser(id: string): SimUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`graph sim: no user ${id}`);
    return u;
  }
}

function idOf(o: DirectoryObject): string {
  return o.kind === 'user' ? o.user.id : o.group.id;
}
