/** GET /admin/v1/orgs/{orgId}/users: every managed account, 50 per page, `links.next`, `meta.total`. */
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { RequestContext, SimResponse } from '../context.js';
import { PipelineErrors } from '../errors.js';
import { v1User } from '../views.js';

export const V1_PAGE_SIZE = 50;
export const V1_LISTING = 'v1-users';

export function listUsersV1(ctx: RequestContext): SimResponse {
  const { core } = ctx;
  const cursor = ctx.query.get('cursor');
  const at = cursor === null ? { after: -1, page: 1 } : decodeCursor(V1_LISTING, cursor);
  if (!at) throw PipelineErrors.badCursor(cursor ?? '');
  const people = core.org.people;
  const slice = people.slice(at.after + 1, at.after + 1 + V1_PAGE_SIZE);
  const pageUrl = (c?: string) =>
    `${core.url()}/admin/v1/orgs/${encodeURIComponent(core.org.orgId)}/users${c ? `?cursor=${encodeURIComponent(c)}` : ''}`;
  const lastServed = at.after + slice.length;
  const next =
    lastServed < people.length - 1 ? encodeCursor(V1_LISTING, { after: lastServed, page: at.page + 1 }) : undefined;
  return {
    status: 200,
    page: at.page,
    body: {
      data: slice.map((p) => v1User(core.state, p, core.url())),
      links: {
        self: pageUrl(cursor ?? undefined),
        ...(next && { next: core.v1NextLink === 'url' ? pageUrl(next) : next }),
      },
      meta: { total: people.length },
    },
  };
}
