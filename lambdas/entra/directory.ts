import { inspect } from 'node:util';
import { clientSecretTokenSource } from './credential.js';
import { DomainAccumulator } from './domains.js';
import { EntraLicenseError, EntraPermissionError, type EntraError } from './errors.js';
import { GraphTransport } from './graph-transport.js';
import { MEMBER_FIELDS, MemberAccumulator, type GroupRoles } from './members.js';
import { EntraMembership } from './membership.js';
import {
  resolveEntraOptions,
  SignInActivityMode,
  type EntraDirectoryOptions,
  type ResolvedEntraOptions,
} from './options.js';
import { readCollections, type CollectionRead, type PagerOptions } from './pager.js';
import { GraphPermission } from './permissions.js';
import { Redactor } from './redact.js';
import { RetryPolicy } from './retry-policy.js';
import { StatsCounter } from './stats.js';
import { DirectoryScope, type EntraDirectory, type SignInActivityStatus } from './types.js';

/**
 * Page sizes. transitiveMembers and users: 1..999 ("The default and maximum page sizes are 100 and
 * 999 objects", learn.microsoft.com/graph/api/user-list-transitivememberof and /graph/paging).
 * With $select=signInActivity the maximum is 500 (learn.microsoft.com/graph/api/user-list).
 */
export const PAGE_SIZE = 999;
export const SIGN_IN_PAGE_SIZE = 500;

/** Reads the Confluence and exclusion groups (and optionally every user) through Microsoft Graph. */
export class GraphEntraDirectory implements EntraDirectory {
  private readonly policy: RetryPolicy;

  constructor(
    private readonly o: ResolvedEntraOptions,
    private readonly transport: GraphTransport,
  ) {
    this.policy = new RetryPolicy(o.retry);
  }

  async readMembership(): Promise<EntraMembership> {
    const { o } = this;
    const started = o.clock.now();
    const stats = new StatsCounter();
    const acc = new MemberAccumulator(o.clientId);
    let signIn: SignInActivityStatus =
      o.signInActivity === SignInActivityMode.OFF ? { state: 'not-requested' } : { state: 'read' };
    const degrade = (error: EntraError): boolean => {
      if (o.signInActivity !== SignInActivityMode.BEST_EFFORT) return false;
      if (
        !(error instanceof EntraLicenseError) &&
        !(error instanceof EntraPermissionError && error.permission === GraphPermission.SIGN_IN_ACTIVITY)
      )
        return false;
      signIn = {
        state: 'unavailable',
        permission: error.permission,
        reason: error.message,
        ...(error.code !== undefined && { code: error.code }),
      };
      acc.clearSignIns();
      o.logger.warn('Entra sign-in activity is unavailable; continuing without it (signInActivity: best-effort)', {
        code: error.code,
        permission: error.permission,
      });
      return true;
    };

    const reads: CollectionRead[] = this.groupRoles().map((roles) => this.groupRead(roles, acc));
    const withSignIn = o.signInActivity !== SignInActivityMode.OFF;
    if (o.scope === DirectoryScope.ALL_USERS) {
      const usersRead = (sign: boolean): CollectionRead => ({
        url: `/users?$select=${[...MEMBER_FIELDS, ...(sign ? ['signInActivity'] : [])].join(',')}&$top=${sign ? SIGN_IN_PAGE_SIZE : PAGE_SIZE}`,
        purpose: sign
          ? {
              action: 'list all users with their sign-in activity (needs User.Read.All and AuditLog.Read.All)',
              permission: GraphPermission.SIGN_IN_ACTIVITY,
            }
          : { action: 'list all users', permission: GraphPermission.USERS },
        onPage: (items) => acc.addUsersPage(items, sign),
        ...(sign && { onError: (error: EntraError) => (degrade(error) ? usersRead(false) : 'throw') }),
      });
      reads.push(usersRead(withSignIn));
    } else if (withSignIn) {
      reads.push({
        url: `/users?$select=id,signInActivity&$top=${SIGN_IN_PAGE_SIZE}`,
        purpose: {
          action: 'list sign-in activity of users (needs AuditLog.Read.All and User.Read.All)',
          permission: GraphPermission.SIGN_IN_ACTIVITY,
        },
        onPage: (items) => acc.addSignInPage(items),
        onError: (error) => (degrade(error) ? 'drop' : 'throw'),
      });
    }

    await readCollections(reads, this.pagerOptions(stats));
    const members = acc.build(signIn.state === 'read');
    const membership = new EntraMembership({
      confluenceGroupId: o.confluenceGroupId,
      exclusionGroupIds: o.exclusionGroupIds,
      scope: o.scope,
      signInActivity: signIn,
      members,
      stats: stats.snapshot(o.clock.now() - started),
    });
    o.logger.info('Entra membership read', {
      users: membership.size,
      scope: o.scope,
      signInActivity: signIn.state,
      ...membership.stats,
    });
    return membership;
  }

  async readTenantDomains(): Promise<string[]> {
    const { o } = this;
    const stats = new StatsCounter();
    const acc = new DomainAccumulator();
    await readCollections(
      [
        {
          url: '/domains',
          purpose: {
            action:
              "list the tenant's domains (to tell people deleted from Entra from people never in it; set entra.tenantDomains to skip this read)",
            permission: GraphPermission.DOMAINS,
          },
          onPage: (items) => acc.addPage(items),
        },
      ],
      this.pagerOptions(stats),
    );
    o.logger.info('Entra tenant domains read', {
      verified: acc.domains.length,
      httpRequests: stats.snapshot(0).httpRequests,
    });
    return acc.domains;
  }

  private pagerOptions(stats: StatsCounter): PagerOptions {
    const { o } = this;
    return {
      transport: this.transport,
      policy: this.policy,
      clock: o.clock,
      stats,
      useBatch: o.useBatch,
      concurrency: o.concurrency,
      maxPagesPerCollection: o.maxPagesPerCollection,
      clientId: o.clientId,
      logger: o.logger,
    };
  }

  /** One read per distinct group id, knowing whether it is the Confluence group, an exclusion group, or both. */
  private groupRoles(): GroupRoles[] {
    const { confluenceGroupId, exclusionGroupIds } = this.o;
    const ids = [confluenceGroupId, ...exclusionGroupIds.filter((id) => id !== confluenceGroupId)];
    return ids.map((groupId) => ({
      groupId,
      confluence: groupId === confluenceGroupId,
      exclusion: exclusionGroupIds.includes(groupId),
    }));
  }

  private groupRead(roles: GroupRoles, acc: MemberAccumulator): CollectionRead {
    const kind = roles.confluence ? 'Confluence group' : 'exclusion group';
    return {
      url: `/groups/${encodeURIComponent(roles.groupId)}/transitiveMembers?$select=${MEMBER_FIELDS.join(',')}&$top=${PAGE_SIZE}`,
      purpose: {
        action: `list the transitive members of the ${kind} ${roles.groupId}`,
        permission: GraphPermission.GROUP_MEMBERS,
        groupId: roles.groupId,
      },
      onPage: (items) => acc.addGroupPage(items, roles),
    };
  }

  /** Printing the directory shows its settings, never the credential. */
  [inspect.custom](): string {
    return `GraphEntraDirectory(${JSON.stringify(this.toJSON())})`;
  }

  toJSON(): Record<string, unknown> {
    const {
      tenantId,
      clientId,
      clientSecretSource,
      confluenceGroupId,
      exclusionGroupIds,
      scope,
      signInActivity,
      graphBaseUrl,
    } = this.o;
    return {
      tenantId,
      clientId,
      clientSecret: clientSecretSource,
      confluenceGroupId,
      exclusionGroupIds,
      scope,
      signInActivity,
      graphBaseUrl,
    };
  }
}

/** Builds the directory: credential (unless a token source is injected), Graph client, retry policy. */
export function createEntraDirectory(options: EntraDirectoryOptions): EntraDirectory {
  const o = resolveEntraOptions(options);
  const redactor = new Redactor([options.clientSecret]);
  const tokens =
    options.tokenSource ??
    clientSecretTokenSource(
      {
        tenantId: o.tenantId,
        clientId: o.clientId,
        clientSecret: options.clientSecret,
        clientSecretSource: o.clientSecretSource,
        authorityHost: o.authorityHost,
        graphBaseUrl: o.graphBaseUrl,
        ...(o.ca !== undefined && { ca: o.ca }),
      },
      redactor,
    );
  const transport = new GraphTransport({
    graphBaseUrl: o.graphBaseUrl,
    clientId: o.clientId,
    tokens,
    policy: new RetryPolicy(o.retry),
    clock: o.clock,
    logger: o.logger,
    requestTimeoutMs: o.requestTimeoutMs,
    ...(o.ca !== undefined && { ca: o.ca }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
  });
  return new GraphEntraDirectory(o, transport);
}
