import type { DirectoryScope, EntraLookup, EntraMember, EntraReadStats, SignInActivityStatus } from './types.js';

export interface EntraMembershipInit {
  readonly confluenceGroupId: string;
  readonly exclusionGroupIds: readonly string[];
  readonly scope: DirectoryScope;
  readonly signInActivity: SignInActivityStatus;
  readonly members: Iterable<EntraMember>;
  readonly stats?: EntraReadStats;
  /** ISO time the read finished. @default now */
  readonly readAt?: string;
}

const EMPTY_STATS: EntraReadStats = {
  httpRequests: 0,
  batchRequests: 0,
  batchedSubRequests: 0,
  pages: 0,
  throttledRetries: 0,
  transientRetries: 0,
  waitedMs: 0,
  durationMs: 0,
};

/** Lower-cased, trimmed email: the join key on both sides. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A complete read of Entra: members by id, indexed by lower-cased `mail` and `userPrincipalName`
 * for random access while Atlassian pages stream by. Holds only EntraMember records.
 */
export class EntraMembership {
  readonly confluenceGroupId: string;
  readonly exclusionGroupIds: readonly string[];
  readonly scope: DirectoryScope;
  readonly signInActivity: SignInActivityStatus;
  readonly stats: EntraReadStats;
  readonly readAt: string;
  private readonly byId = new Map<string, EntraMember>();
  private readonly byMail = new Map<string, EntraMember>();
  private readonly byUpn = new Map<string, EntraMember>();
  /** Keys carried by more than one user (mail of one, UPN of another, or duplicated mail). */
  private readonly ambiguous = new Set<string>();

  constructor(init: EntraMembershipInit) {
    this.confluenceGroupId = init.confluenceGroupId;
    this.exclusionGroupIds = [...init.exclusionGroupIds];
    this.scope = init.scope;
    this.signInActivity = init.signInActivity;
    this.stats = init.stats ?? EMPTY_STATS;
    this.readAt = init.readAt ?? new Date().toISOString();
    for (const m of init.members) this.add(m);
  }

  private add(member: EntraMember): void {
    this.byId.set(member.id, member);
    const keys = new Set<string>();
    if (member.mail) keys.add(emailKey(member.mail));
    keys.add(emailKey(member.userPrincipalName));
    for (const key of keys) {
      const other = this.byMail.get(key) ?? this.byUpn.get(key);
      if (other && other.id !== member.id) this.ambiguous.add(key);
    }
    if (member.mail) {
      const key = emailKey(member.mail);
      if (!this.byMail.has(key)) this.byMail.set(key, member);
    }
    const upn = emailKey(member.userPrincipalName);
    if (!this.byUpn.has(upn)) this.byUpn.set(upn, member);
  }

  /** Number of Entra users held. */
  get size(): number {
    return this.byId.size;
  }

  /** Every user held, in read order. */
  members(): IterableIterator<EntraMember> {
    return this.byId.values();
  }

  byObjectId(id: string): EntraMember | undefined {
    return this.byId.get(id);
  }

  /** Looks an email up case-insensitively: `mail` first, then `userPrincipalName`. Pure: marks nothing. */
  lookup(email: string): EntraLookup {
    const key = emailKey(email);
    const byMail = this.byMail.get(key);
    const member = byMail ?? this.byUpn.get(key);
    if (!member) return { found: false };
    return {
      found: true,
      member,
      matchedBy: byMail ? 'mail' : 'userPrincipalName',
      ambiguous: this.ambiguous.has(key),
    };
  }
}
