/**
 * POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search. Only `atlassian` accounts
 * (app accounts are not in v2). Filters: claimStatus, accountIds, emails (exact, any case),
 * emailDomains, searchTerm (name or email contains), roleIds (`atlassian/org-admin`; `atlassian/user`
 * = has product access; other roles match nobody), accountStatus, membershipStatus, status.
 * A cursor carries its query: with a cursor, the other fields are discarded (as the spec says).
 */
import type { Person } from '../../org/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { RequestContext, SimResponse } from '../context.js';
import { PipelineErrors, SimHttpError } from '../errors.js';
import type { OrgState } from '../state.js';
import { v2User } from '../views.js';
import { describeIssues, searchRequestSchema, type SearchRequest } from './search-request.js';

export const V2_LISTING = 'v2-users-search';
const DEFAULT_LIMIT = 50;

/** The directory in the path: `-` (all) or the org's one; anything else is a 404. */
export function checkDirectory(ctx: RequestContext, allowAll: boolean): void {
  const id = ctx.params.directoryId!;
  if ((allowAll && id === '-') || id === ctx.core.org.directoryId) return;
  throw new SimHttpError(
    404,
    'ADMIN-404-1',
    'Directory not found',
    `No directory ${id} in organization ${ctx.core.org.orgId}`,
  );
}

/** A filter over people, with the list filters turned into sets once per request. */
function matcher(state: OrgState, q: SearchRequest): (p: Person) => boolean {
  const accountIds = q.accountIds && new Set(q.accountIds);
  const emails = q.emails && new Set(q.emails.map((e) => e.toLowerCase()));
  return (p) => matches(state, p, q, accountIds, emails);
}

function matches(
  state: OrgState,
  p: Person,
  q: SearchRequest,
  accountIds: Set<string> | undefined,
  emails: Set<string> | undefined,
): boolean {
  if (p.accountType !== 'atlassian') return false;
  if (q.claimStatus === 'unmanaged') return false;
  if (accountIds && !accountIds.has(p.accountId)) return false;
  const email = p.atlassianEmail.toLowerCase();
  if (emails && !emails.has(email)) return false;
  if (q.emailDomains && !q.emailDomains.some((d) => email.endsWith(`@${d.toLowerCase().replace(/^@/, '')}`)))
    return false;
  if (q.searchTerm && !`${p.displayName}\n${email}`.toLowerCase().includes(q.searchTerm.toLowerCase())) return false;
  if (q.accountStatus && !q.accountStatus.includes(p.accountStatus)) return false;
  if (q.membershipStatus && !q.membershipStatus.includes(p.membershipStatus)) return false;
  if (q.status && !q.status.includes(state.status(p))) return false;
  if (q.roleIds) {
    const roles = [
      ...(p.orgAdmin ? ['atlassian/org-admin'] : []),
      ...(p.products.length > 0 ? ['atlassian/user'] : []),
    ];
    if (!q.roleIds.some((r) => roles.includes(r))) return false;
  }
  return true;
}

function parseBody(ctx: RequestContext): SearchRequest {
  const body = ctx.json() ?? {};
  const parsed = searchRequestSchema.safeParse(body);
  if (!parsed.success) throw PipelineErrors.badBody(describeIssues(parsed.error));
  return parsed.data;
}

export function searchUsersV2(ctx: RequestContext): SimResponse {
  checkDirectory(ctx, true);
  const body = parseBody(ctx);
  const { core } = ctx;
  let query: SearchRequest;
  let at = { after: -1, page: 1 };
  if (body.cursor !== undefined) {
    const c = decodeCursor(V2_LISTING, body.cursor);
    const q = c && searchRequestSchema.safeParse(c.query);
    if (!c || !q?.success) throw PipelineErrors.badCursor(body.cursor);
    query = q.data;
    at = c;
  } else {
    query = body;
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  const people = core.org.people;
  const found: { person: Person; position: number }[] = [];
  const match = matcher(core.state, query);
  for (let i = at.after + 1; i < people.length && found.length <= limit; i++) {
    if (match(people[i]!)) found.push({ person: people[i]!, position: i });
  }
  const page = found.slice(0, limit);
  const more = found.length > limit;
  const expand = query.expand ?? [];
  return {
    status: 200,
    page: at.page,
    body: {
      data: page.map((f) => v2User(core.state, f.person, expand, core.faults.adminRolesView())),
      links: {
        ...(body.cursor !== undefined && { self: body.cursor }),
        ...(more && { next: encodeCursor(V2_LISTING, { after: page.at(-1)!.position, page: at.page + 1, query }) }),
      },
    },
  };
}

/** GET /admin/v2/orgs/{orgId}/directories: the org's one directory. */
export function listDirectories(ctx: RequestContext): SimResponse {
  const { core } = ctx;
  const cursor = ctx.query.get('cursor');
  if (cursor !== null) throw PipelineErrors.badCursor(cursor);
  const limit = ctx.query.get('limit');
  if (limit !== null && !(/^\d+$/.test(limit) && +limit >= 1 && +limit <= 100)) {
    throw new SimHttpError(
      400,
      'ADMIN-400-24',
      'Invalid request',
      `limit must be an integer within 1..100, got ${JSON.stringify(limit)}`,
    );
  }
  const accountId = ctx.query.get('accountId');
  const member = accountId === null || core.state.person(accountId)?.accountType === 'atlassian';
  const data = member
    ? [
        {
          directoryId: core.org.directoryId,
          name: 'Synthetic directory',
          icon: 'https://icon.example.invalid/directory.png',
        },
      ]
    : [];
  return { status: 200, body: { data, links: {} } };
}
