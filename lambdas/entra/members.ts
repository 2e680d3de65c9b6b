/** Maps Graph user objects to EntraMember records, merging what several collections say about one user. */
import { EntraPermissionError, EntraResponseError } from './errors.js';
import { GraphPermission, howToGrant } from './permissions.js';
import type { EntraMember } from './types.js';

/** `$select` of every user read: only what the plan needs. */
export const MEMBER_FIELDS = ['id', 'userPrincipalName', 'mail', 'accountEnabled'] as const;

interface Draft {
  readonly id: string;
  userPrincipalName: string;
  mail?: string;
  accountEnabled: boolean;
  inConfluenceGroup: boolean;
  exclusionGroupIds?: string[];
}

/** Roles a group read plays: the Confluence group, an exclusion group, or both. */
export interface GroupRoles {
  readonly groupId: string;
  readonly confluence: boolean;
  readonly exclusion: boolean;
}

const USER_TYPE = '#microsoft.graph.user';

export class MemberAccumulator {
  private readonly drafts = new Map<string, Draft>();
  private readonly signIns = new Map<string, string>();

  constructor(private readonly clientId: string) {}

  /** A page of `/groups/{id}/transitiveMembers`: users only (nested groups, devices and the like are skipped). */
  addGroupPage(items: readonly Record<string, unknown>[], roles: GroupRoles): void {
    for (const item of items) {
      const type = item['@odata.type'];
      if (type !== USER_TYPE && !(type === undefined && 'userPrincipalName' in item)) continue;
      const draft = this.upsert(item, `group ${roles.groupId}`);
      if (roles.confluence) draft.inConfluenceGroup = true;
      if (roles.exclusion) {
        draft.exclusionGroupIds ??= [];
        if (!draft.exclusionGroupIds.includes(roles.groupId)) draft.exclusionGroupIds.push(roles.groupId);
      }
    }
  }

  /** A page of `/users` (every user of the tenant), optionally with signInActivity. */
  addUsersPage(items: readonly Record<string, unknown>[], withSignIn: boolean): void {
    for (const item of items) {
      this.upsert(item, 'the tenant user list');
      if (withSignIn) this.addSignIn(item);
    }
  }

  /** A page of `/users?$select=id,signInActivity`: kept aside, attached to members at the end. */
  addSignInPage(items: readonly Record<string, unknown>[]): void {
    for (const item of items) this.addSignIn(item);
  }

  /** Forget sign-in dates (signInActivity degraded part-way). */
  clearSignIns(): void {
    this.signIns.clear();
  }

  build(withSignIn: boolean): EntraMember[] {
    const out: EntraMember[] = [];
    for (const d of this.drafts.values()) {
      const lastSignIn = withSignIn ? this.signIns.get(d.id) : undefined;
      out.push({
        id: d.id,
        userPrincipalName: d.userPrincipalName,
        ...(d.mail !== undefined && { mail: d.mail }),
        accountEnabled: d.accountEnabled,
        inConfluenceGroup: d.inConfluenceGroup,
        exclusionGroupIds: d.exclusionGroupIds ?? [],
        ...(lastSignIn !== undefined && { lastSignIn }),
      });
    }
    return out;
  }

  private addSignIn(item: Record<string, unknown>): void {
    const id = item.id;
    const activity = item.signInActivity as { lastSuccessfulSignInDateTime?: unknown } | null | undefined;
    const at = activity?.lastSuccessfulSignInDateTime;
    if (typeof id === 'string' && typeof at === 'string') this.signIns.set(id, at);
  }

  private upsert(item: Record<string, unknown>, where: string): Draft {
    const id = item.id;
    if (typeof id !== 'string' || id === '')
      throw new EntraResponseError(`Microsoft Graph returned a user without an id in ${where}. Report it.`);
    const upn = item.userPrincipalName;
    if (upn === null || upn === undefined) {
      // "Limited information returned for inaccessible member objects": with GroupMember.Read.All but
      // without User.Read.All, Graph lists member users with their id and nulls for every property.
      throw new EntraPermissionError(
        `Microsoft Graph listed user ${id} in ${where} without its properties (userPrincipalName, mail and accountEnabled are null): ` +
          `the app can see the membership but not the users. ${howToGrant(GraphPermission.USERS, this.clientId)}`,
        GraphPermission.USERS,
        { status: 200 },
      );
    }
    if (typeof upn !== 'string')
      throw new EntraResponseError(
        `Microsoft Graph returned user ${id} with a non-string userPrincipalName in ${where}. Report it.`,
      );
    const mail = typeof item.mail === 'string' && item.mail !== '' ? item.mail : undefined;
    // accountEnabled is null only for limited information (handled above); treat anything but false as enabled.
    const accountEnabled = item.accountEnabled !== false;
    const existing = this.drafts.get(id);
    if (existing) {
      existing.userPrincipalName = upn;
      if (mail !== undefined) existing.mail = mail;
      existing.accountEnabled = accountEnabled;
      return existing;
    }
    const draft: Draft = {
      id,
      userPrincipalName: upn,
      accountEnabled,
      inConfluenceGroup: false,
      ...(mail !== undefined && { mail }),
    };
    this.drafts.set(id, draft);
    return draft;
  }
}
