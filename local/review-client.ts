/**
 * A scripted approver: opens a review link and submits the form as a browser would (cookie,
 * hidden CSRF field, Origin). Used by the demo's --approve and by the tests.
 */
export interface ReviewPage {
  readonly status: number;
  readonly html: string;
  readonly headers: Headers;
  /** `review_csrf=<value>` from Set-Cookie, if the response set one. */
  readonly cookie?: string;
  /** The hidden csrf field of the form, if the page has one. */
  readonly csrf?: string;
  /** Account ids of the items awaiting a decision (a review page's "reject" boxes, an undo page's boxes). */
  readonly pending: readonly string[];
}

/** GET of a link, as a browser or a mail scanner would do it. */
export async function openReviewLink(link: string, init: { cookie?: string } = {}): Promise<ReviewPage> {
  const res = await fetch(link, { redirect: 'manual', headers: init.cookie ? { cookie: init.cookie } : {} });
  const html = await res.text();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('review_csrf='));
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  const pending = [...html.matchAll(/name="(?:drop|item)" value="([^"]+)"/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>'),
  );
  return { status: res.status, html, headers: res.headers, pending, ...(cookie && { cookie }), ...(csrf && { csrf }) };
}

export interface ReviewSubmission {
  /** A review decision: the form then says it lists deselections, as the review page's form does. */
  readonly decision?: string;
  /** Review decision: the pending items to reject (ticked); every other pending item is approved. */
  readonly deselect?: readonly string[];
  /** Fields named `item` (the undo page's ticked changes; on a review decision, an older page's form). */
  readonly items?: readonly string[];
  readonly override?: boolean;
  readonly csrf?: string;
  readonly cookie?: string;
  /** @default the link's own origin; null sends no Origin header */
  readonly origin?: string | null;
}

/** POST of the review form, as the page's buttons send it. */
export async function submitReview(link: string, s: ReviewSubmission): Promise<{ status: number; html: string }> {
  const form = new URLSearchParams();
  if (s.csrf !== undefined) form.set('csrf', s.csrf);
  if (s.decision !== undefined) form.set('decision', s.decision);
  if (s.decision !== undefined) form.set('lists', 'deselected');
  for (const id of s.deselect ?? []) form.append('drop', id);
  for (const id of s.items ?? []) form.append('item', id);
  if (s.override) form.set('override', 'yes');
  const origin = s.origin === undefined ? new URL(link).origin : s.origin;
  const res = await fetch(link, {
    method: 'POST',
    redirect: 'manual',
    body: form.toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin !== null && { origin }),
      ...(s.cookie && { cookie: s.cookie }),
    },
  });
  return { status: res.status, html: await res.text() };
}

/** The personal review link in a proposal email's text part. */
export function reviewLinkIn(text: string): string | undefined {
  return /(https?:\/\/[^\s/]+\/review\/\S+\?t=[A-Za-z0-9_-]+)/.exec(text)?.[1];
}
