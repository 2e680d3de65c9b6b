/**
 * Opaque page cursors: base64url JSON tagged with the listing they belong to. A cursor from one
 * listing, or any other string, is refused by the other (400 per the spec).
 */
export interface CursorState {
  /** Position in `org.people` of the last person already served (-1 = before the first). */
  readonly after: number;
  /** 1-based number of the page this cursor opens. */
  readonly page: number;
  /** The query the cursor continues (v2 search: the request body without `cursor`). */
  readonly query?: unknown;
}

export function encodeCursor(listing: string, state: CursorState): string {
  return Buffer.from(JSON.stringify({ l: listing, ...state }), 'utf8').toString('base64url');
}

/** The cursor's state, or undefined when it is not a cursor of this listing. */
export function decodeCursor(listing: string, cursor: string): CursorState | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (v.l !== listing || !Number.isInteger(v.after) || !Number.isInteger(v.page)) return undefined;
    if ((v.after as number) < -1 || (v.page as number) < 1) return undefined;
    return { after: v.after as number, page: v.page as number, ...(v.query !== undefined && { query: v.query }) };
  } catch {
    return undefined;
  }
}
