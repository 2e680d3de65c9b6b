/**
 * `links.next` of the v1 users listing may arrive as a full URL or as a bare cursor
 * (contracts/README.md): accept both, but never follow a URL. Only its `cursor` parameter is used,
 * with our own base URL, so the API key is never sent to a host a response names.
 */
export function cursorFromNext(next: string | undefined): string | undefined {
  if (next === undefined || next === '') return undefined;
  if (!/^https?:\/\//i.test(next)) return next;
  const cursor = new URL(next).searchParams.get('cursor');
  if (!cursor) throw new Error(`links.next is a URL without a cursor parameter: ${new URL(next).pathname}`);
  return cursor;
}
