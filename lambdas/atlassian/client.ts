import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { cursorFromNext } from './cursor.js';
import { EndpointClass } from './endpoint-class.js';
import { MalformedResponseError } from './errors.js';
import { fromV1, fromV2 } from './mappers.js';
import { toPolicyAssignment } from './policy-assignments.js';
import {
  addUsersResponseSchema,
  bulkFetchSchema,
  directoriesPageSchema,
  lastActiveDatesSchema,
  lifecyclePermissionSchema,
  taskStatusSchema,
  v1UserPageSchema,
  v2UserPageSchema,
  type TaskStatus,
} from './schemas.js';
import { Transport, type TransportOptions, type TransportStats } from './transport.js';
import type { LifecyclePermission, ManagedAccount, PolicyAssignment, ProductActivity, TaskOutcome } from './types.js';

export type Listing = 'v1' | 'v2';

export interface AtlassianClientOptions extends Omit<TransportOptions, 'clock' | 'logger'> {
  readonly orgId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Directory for v2 search, suspend and restore; "-" = all. @default "-" */
  readonly directoryId?: string;
}

/** One page of the managed-accounts listing, with what a checkpoint needs to resume after it. */
export interface AccountPage {
  readonly accounts: readonly ManagedAccount[];
  /** Cursor that fetched this page (undefined for the first). */
  readonly cursor?: string;
  /** Cursor of the next page; undefined on the last page. */
  readonly nextCursor?: string;
  /** v1 only: `meta.total`, the number of accounts the listing should add up to. */
  readonly total?: number;
}

export interface ListOptions {
  /** @default v2 (100 per page, carries addedToOrg and admin roles) */
  readonly listing?: Listing;
  /** Resume from a checkpointed cursor. */
  readonly cursor?: string;
  /** v2 page size, 1..100. @default 100 */
  readonly pageSize?: number;
}

/** Max account ids per bulk-fetch request (our choice; the API's limit is undocumented). */
export const BULK_FETCH_BATCH = 100;
/** Max emails per add-users request (undocumented upstream; the admin UI takes 10,000 per CSV). */
export const ADD_USERS_BATCH = 500;

/**
 * The Atlassian organization admin APIs the product uses: Organizations (v1 users, v2 search,
 * directories, last-active dates, suspend/restore), User management (lifecycle disable/enable)
 * and Admin Control (authentication policies).
 */
/** The first wait between add-users task polls (waitForTask). */
const FIRST_POLL_MS = 250;

export class AtlassianClient {
  private readonly http: Transport;
  private readonly org: string;
  private readonly dir: string;

  private readonly options: Omit<AtlassianClientOptions, 'apiKey'>;

  constructor(options: AtlassianClientOptions) {
    this.http = new Transport(options);
    const { apiKey: _secret, ...rest } = options;
    this.options = rest;
    this.org = encodeURIComponent(options.orgId);
    this.dir = encodeURIComponent(options.directoryId ?? '-');
  }

  get stats(): Readonly<TransportStats> {
    return this.http.stats;
  }

  /** Every managed account, page by page; holds one page in memory at a time. */
  async *pages(options: ListOptions = {}): AsyncGenerator<AccountPage> {
    let cursor = options.cursor;
    for (;;) {
      const page =
        options.listing === 'v1' ? await this.v1Page(cursor) : await this.v2Page(cursor, options.pageSize ?? 100);
      yield page;
      if (page.nextCursor === undefined) return;
      if (page.nextCursor === cursor)
        throw new MalformedResponseError(
          'users listing: links.next repeats the current cursor; the listing would never end.',
          { endpoint: 'users listing', field: 'links.next' },
        );
      cursor = page.nextCursor;
    }
  }

  /** Every managed account, one at a time. */
  async *accounts(options: ListOptions = {}): AsyncGenerator<ManagedAccount> {
    for await (const page of this.pages(options)) yield* page.accounts;
  }

  private async v1Page(cursor: string | undefined): Promise<AccountPage> {
    const { data } = await this.http.send({
      cls: EndpointClass.USERS_READ,
      method: 'GET',
      template: '/admin/v1/orgs/{orgId}/users',
      path: `/admin/v1/orgs/${this.org}/users`,
      query: { cursor },
      schema: v1UserPageSchema,
    });
    let nextCursor: string | undefined;
    try {
      nextCursor = cursorFromNext(data.links?.next);
    } catch (err) {
      throw new MalformedResponseError(`GET /admin/v1/orgs/{orgId}/users: ${(err as Error).message}`, {
        endpoint: 'GET /admin/v1/orgs/{orgId}/users',
        field: 'links.next',
      });
    }
    return {
      accounts: data.data.map(fromV1),
      ...(cursor && { cursor }),
      ...(nextCursor && { nextCursor }),
      ...(data.meta?.total !== undefined && { total: data.meta.total }),
    };
  }

  private async v2Page(
    cursor: string | undefined,
    limit: number,
    filter: Record<string, unknown> = {},
  ): Promise<AccountPage> {
    const { data } = await this.http.send({
      cls: EndpointClass.USERS_READ,
      method: 'POST',
      template: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/search',
      path: `/admin/v2/orgs/${this.org}/directories/${this.dir}/users/search`,
      body: {
        claimStatus: 'managed',
        expand: ['productAccess', 'platformRoles'],
        limit,
        ...(cursor && { cursor }),
        ...filter,
      },
      schema: v2UserPageSchema,
    });
    const nextCursor = data.links?.next || undefined;
    return { accounts: data.data.map(fromV2), ...(cursor && { cursor }), ...(nextCursor && { nextCursor }) };
  }

  /** Accounts with these exact emails (v2 search, at most 100 per request; case-insensitive at Atlassian). */
  async accountsByEmail(emails: readonly string[]): Promise<ManagedAccount[]> {
    const out: ManagedAccount[] = [];
    for (let i = 0; i < emails.length; i += 100) {
      let cursor: string | undefined;
      do {
        const page = await this.v2Page(cursor, 100, { emails: emails.slice(i, i + 100) });
        out.push(...page.accounts);
        cursor = page.nextCursor;
      } while (cursor);
    }
    return out;
  }

  /** Accounts with these ids (v2 search, at most 10 ids per request: the contract's maxItems). */
  async accountsById(accountIds: readonly string[]): Promise<ManagedAccount[]> {
    const out: ManagedAccount[] = [];
    for (let i = 0; i < accountIds.length; i += 10) {
      let cursor: string | undefined;
      do {
        const page = await this.v2Page(cursor, 100, { accountIds: accountIds.slice(i, i + 10) });
        out.push(...page.accounts);
        cursor = page.nextCursor;
      } while (cursor);
    }
    return out;
  }

  /** Account ids of org admins (v2 search filtered by role: a few requests, not one per user). */
  async orgAdminIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.v2Page(cursor, 100, { roleIds: ['atlassian/org-admin'] });
      page.accounts.forEach((a) => ids.add(a.accountId));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  /**
   * Per-product last-active dates and the date added to the org, for one user. Limited to 200
   * requests per minute per org: only for the few users whose listing data is ambiguous.
   */
  async lastActiveDates(accountId: string): Promise<{ addedToOrg?: string; products: ProductActivity[] }> {
    const products: ProductActivity[] = [];
    let addedToOrg: string | undefined;
    let cursor: string | undefined;
    do {
      const { data } = await this.http.send({
        cls: EndpointClass.LAST_ACTIVE,
        method: 'GET',
        template: '/admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates',
        path: `/admin/v1/orgs/${this.org}/directory/users/${encodeURIComponent(accountId)}/last-active-dates`,
        query: { cursor },
        schema: lastActiveDatesSchema,
        accountId,
      });
      addedToOrg ??= data.data.added_to_org_timestamp ?? data.data.added_to_org ?? undefined;
      for (const p of data.data.product_access)
        products.push({
          key: p.key,
          ...((p.last_active_timestamp ?? p.last_active) && { lastActive: p.last_active_timestamp ?? p.last_active }),
        });
      cursor = cursorFromNext(data.links?.next);
    } while (cursor);
    return { ...(addedToOrg && { addedToOrg }), products };
  }

  /**
   * User management: may this API key deactivate/activate the account (`lifecycle.enablement`)?
   * One request per account: for the few accounts the listing leaves in doubt
   * (`managementSource: null`), not for every item. Throws AccountNotFoundError when it is gone.
   */
  async lifecyclePermission(accountId: string): Promise<LifecyclePermission> {
    const { data } = await this.http.send({
      cls: EndpointClass.USERS_READ,
      method: 'GET',
      template: '/users/{account_id}/manage',
      path: `/users/${encodeURIComponent(accountId)}/manage`,
      query: { privileges: 'lifecycle.enablement' },
      schema: lifecyclePermissionSchema,
      accountId,
    });
    const rule = data['lifecycle.enablement'];
    return rule.allowed ? { allowed: true } : { allowed: false, reason: rule.reason.key };
  }

  /**
   * User management: deactivate (block) a managed account. `message` is shown to the user at their
   * next log-in. Refusals are typed: ScimManagedError (403 forbidden.action, externalDirectory.scim),
   * ActionForbiddenError (other forbidden.action), LifecycleConflictError (409, with Atlassian's
   * codes), AccountNotFoundError (404 accountNotFound); each carries `errorKey` and `apiMessage`.
   */
  async disable(accountId: string, message?: string): Promise<void> {
    await this.lifecycle(accountId, 'disable', message === undefined ? {} : { message });
  }

  /** User management: reactivate an account; refusals are typed as for `disable`. */
  async enable(accountId: string): Promise<void> {
    await this.lifecycle(accountId, 'enable', undefined);
  }

  private async lifecycle(accountId: string, op: 'disable' | 'enable', body: unknown): Promise<void> {
    await this.http.send({
      cls: EndpointClass.USER_WRITE,
      method: 'POST',
      template: `/users/{account_id}/manage/lifecycle/${op}`,
      path: `/users/${encodeURIComponent(accountId)}/manage/lifecycle/${op}`,
      body,
      schema: undefined,
      accountId,
    });
  }

  /**
   * v2: suspend a user's access in the configured directory (not billed while suspended). The spec
   * documents no error bodies here: a refusal is ForbiddenError (403; also for SCIM-synced users,
   * which the listing's `managementSource` tells beforehand) or NotFoundError (404: user, directory
   * or org), with the `errorKey` and `apiMessage` the body gave.
   */
  async suspend(accountId: string): Promise<void> {
    await this.directoryUserOp(accountId, 'suspend');
  }

  async restore(accountId: string): Promise<void> {
    await this.directoryUserOp(accountId, 'restore');
  }

  private async directoryUserOp(accountId: string, op: 'suspend' | 'restore'): Promise<void> {
    if (this.dir === '-')
      throw new Error(
        `v2 ${op} needs a real directory id: set atlassian.directoryId in the configuration (GET /admin/v2/orgs/{orgId}/directories lists them).`,
      );
    await this.http.send({
      cls: EndpointClass.USER_WRITE,
      method: 'POST',
      template: `/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/${op}`,
      path: `/admin/v2/orgs/${this.org}/directories/${this.dir}/users/${encodeURIComponent(accountId)}/${op}`,
      schema: undefined,
      accountId,
    });
  }

  async directories(): Promise<{ directoryId: string; name?: string }[]> {
    const out: { directoryId: string; name?: string }[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await this.http.send({
        cls: EndpointClass.USERS_READ,
        method: 'GET',
        template: '/admin/v2/orgs/{orgId}/directories',
        path: `/admin/v2/orgs/${this.org}/directories`,
        query: { cursor },
        schema: directoriesPageSchema,
      });
      out.push(...data.data.map((d) => ({ directoryId: d.directoryId, ...(d.name && { name: d.name }) })));
      cursor = data.links?.next || undefined;
    } while (cursor);
    return out;
  }

  /** Admin Control: starts adding users (by email) to a policy; returns the task id. */
  async addUsersToPolicy(policyId: string, emails: readonly string[]): Promise<string> {
    if (emails.length === 0 || emails.length > ADD_USERS_BATCH)
      throw new RangeError(`addUsersToPolicy takes 1..${ADD_USERS_BATCH} emails, got ${emails.length}`);
    const { data } = await this.http.send({
      cls: EndpointClass.POLICY,
      method: 'POST',
      template: '/admin/control/v1/orgs/{orgId}/auth-policy/{policyId}/add-users',
      path: `/admin/control/v1/orgs/${this.org}/auth-policy/${encodeURIComponent(policyId)}/add-users`,
      body: { users: emails },
      schema: addUsersResponseSchema,
    });
    return data.taskId;
  }

  async taskStatus(taskId: string): Promise<TaskStatus> {
    const { data } = await this.http.send({
      cls: EndpointClass.POLICY,
      method: 'GET',
      template: '/admin/control/v1/orgs/{orgId}/auth-policy/task/{taskId}',
      path: `/admin/control/v1/orgs/${this.org}/auth-policy/task/${encodeURIComponent(taskId)}`,
      schema: taskStatusSchema,
    });
    return data;
  }

  /**
   * Polls a task until `inProgressCount` is 0 and maps its `failureReasons` back to the requested
   * emails (case-insensitively). Sleeps between polls on the injected clock: {@link FIRST_POLL_MS} after
   * the first answer, then twice as long each time up to `pollMs`. A task of 100 users is often done
   * within a second, and execution waits for each chunk's task before the next chunk: a fixed 2 s
   * wait was most of a move's wall (100 chunks, 200 s of 346 s, measured), while a long task costs
   * only a few more polls (a 10 s task: 9 instead of 6).
   */
  async waitForTask(
    taskId: string,
    requested: readonly string[],
    options: { pollMs?: number; timeoutMs?: number } = {},
  ): Promise<TaskOutcome> {
    const { clock } = this.options;
    const pollMs = options.pollMs ?? 2_000;
    const until = clock.now() + (options.timeoutMs ?? 10 * 60_000);
    let wait = Math.min(FIRST_POLL_MS, pollMs);
    for (;;) {
      const status = await this.taskStatus(taskId);
      if (status.inProgressCount === 0) return mapTaskOutcome(taskId, requested, status);
      const left = until - clock.now();
      if (left <= 0)
        throw new Error(
          `add-users task ${taskId} still has ${status.inProgressCount} user(s) in progress after ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s; poll it again later (its id is recorded).`,
        );
      // The last wait is cut short so that one poll lands on the timeout itself.
      await clock.sleep(Math.min(wait, left));
      wait = Math.min(wait * 2, pollMs);
    }
  }

  /** Admin Control bulk-fetch: which policy each user is in, in batches of BULK_FETCH_BATCH. */
  async policyAssignments(accountIds: readonly string[]): Promise<PolicyAssignment[]> {
    const out: PolicyAssignment[] = [];
    for (let i = 0; i < accountIds.length; i += BULK_FETCH_BATCH) {
      const batch = accountIds.slice(i, i + BULK_FETCH_BATCH);
      const endpoint = 'POST /admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch';
      const { data } = await this.http.send({
        cls: EndpointClass.POLICY,
        method: 'POST',
        template: '/admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch',
        path: `/admin/control/v1/orgs/${this.org}/users/auth-policies/bulk-fetch`,
        body: { accountIds: batch },
        schema: bulkFetchSchema,
      });
      for (const raw of data) {
        const a = toPolicyAssignment(raw);
        if ('error' in a)
          throw new MalformedResponseError(
            `${endpoint}: ${a.error}. Check the Admin Control API's current field names and update lambdas/atlassian/policy-assignments.ts.`,
            { endpoint, field: 'policyId' },
          );
        out.push(a);
      }
    }
    return out;
  }
}

export function mapTaskOutcome(taskId: string, requested: readonly string[], status: TaskStatus): TaskOutcome {
  const failed = new Map<string, { email: string; status?: number; title?: string; detail?: string }>();
  for (const reason of status.failureReasons ?? []) {
    for (const email of reason.emails) failed.set(email.toLowerCase(), { email, ...reason.details });
  }
  return {
    taskId,
    succeeded: requested.filter((e) => !failed.has(e.toLowerCase())),
    failed: [...failed.values()],
  };
}
