/** The OData query options the simulator understands: `$select`, `$top`, `$skiptoken`. */
import { Errors } from './errors.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;
/** learn.microsoft.com/graph/api/user-list: with $select=signInActivity the maximum page size is 500. */
export const MAX_SIGN_IN_PAGE_SIZE = 500;

export interface PageQuery {
  readonly select: readonly string[] | undefined;
  readonly top: number;
  readonly offset: number;
}

/** Parses `$select` against the properties a type has; unknown names are Graph's 400. */
export function parseSelect(
  query: URLSearchParams,
  known: ReadonlySet<string>,
  typeName: string,
): string[] | undefined {
  const raw = query.get('$select');
  if (raw === null) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!known.has(n)) throw Errors.badRequest(`Could not find a property named '${n}' on type '${typeName}'.`);
  return names;
}

export function parseTop(query: URLSearchParams, max: number): number {
  const raw = query.get('$top');
  if (raw === null) return Math.min(DEFAULT_PAGE_SIZE, max);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw Errors.badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  return n;
}

/** Opaque to clients; binds the offset to the listing so a token cannot be replayed elsewhere. */
export function skipToken(listing: string, offset: number): string {
  return Buffer.from(JSON.stringify({ l: listing, o: offset })).toString('base64url');
}

export function parseSkipToken(query: URLSearchParams, listing: string): number {
  const raw = query.get('$skiptoken') ?? query.get('$skipToken');
  if (raw === null) return 0;
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { l?: unknown; o?: unknown };
    if (t.l === listing && typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0) return t.o;
  } catch {
    // fall through
  }
  throw Errors.badRequest('Invalid skip token.');
}

/**
 * One page of a listing, as Graph shapes it: `@odata.context`, `value`, and `@odata.nextLink`
 * (the request's own query options plus `$skiptoken`) when more remain.
 */
export function page<T>(
  all: readonly T[],
  q: { top: number; offset: number },
  links: { versionRoot: string; path: string; query: URLSearchParams; listing: string; context: string },
  render: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const slice = all.slice(q.offset, q.offset + q.top);
  const body: Record<string, unknown> = { '@odata.context': links.context, value: slice.map(render) };
  const next = q.offset + slice.length;
  if (next < all.length) {
    const kept = [...links.query.entries()]
      .filter(([k]) => k.toLowerCase() !== '$skiptoken')
      .map(([k, v]) => `${k}=${v}`);
    body['@odata.nextLink'] =
      `${links.versionRoot}${links.path}?${[...kept, `$skiptoken=${skipToken(links.listing, next)}`].join('&')}`;
  }
  return body;
}
