import { html, trusted, type SafeHtml } from '../../shared/html.js';
import { PAGE_CSS } from './page-assets.js';
import { checkCsrf } from './csrf.js';
import { htmlResponse, newNonce, parseForm, type HttpRequest, type HttpResponse } from './http.js';

/** An HTML page with the inline stylesheet (and script) carrying this response's CSP nonce. */
export function pageShell(o: {
  title: string;
  nonce: string;
  header: string;
  main: SafeHtml;
  script?: string;
}): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">
<title>${o.title}</title><style nonce="${o.nonce}">${trusted(PAGE_CSS)}</style></head>
<body><div class="top">${o.header}</div>
<main>${o.main}</main>
${o.script ? html`<script nonce="${o.nonce}">${trusted(o.script)}</script>` : ''}
</body></html>`.value;
}

export type PageTone = 'danger' | 'info' | 'success' | 'quiet';

/** A short page: a refusal, or the result of a decision. */
export function messagePage(o: {
  title: string;
  text: string;
  tone: PageTone;
  nonce: string;
  details?: SafeHtml;
}): string {
  return pageShell({
    title: o.title,
    nonce: o.nonce,
    header: 'ATLASSIAN LIFECYCLE · PROPOSAL REVIEW',
    main: html`<div class="message"><div class="banner ${o.tone}"><strong>${o.title}</strong></div><p>${o.text}</p>${o.details ?? ''}</div>`,
  });
}

/** A short page as a response (the keep and undo links' answers). */
export function messageResponse(
  status: number,
  https: boolean,
  o: { title: string; text: string; tone: PageTone },
): HttpResponse {
  const nonce = newNonce();
  return htmlResponse(status, messagePage({ ...o, nonce }), nonce, https);
}

/**
 * The form of a POST that came from this site's own page (Origin and the double-submit CSRF
 * cookie checked, as for a decision), or the 403 answer that changes nothing.
 */
export function formFromPage(
  req: HttpRequest,
  base: URL,
): { ok: true; form: URLSearchParams } | { ok: false; response: HttpResponse } {
  const form = parseForm(req);
  if (form && checkCsrf(req, form, base) === 'ok') return { ok: true, form };
  return {
    ok: false,
    response: messageResponse(403, base.protocol === 'https:', {
      title: 'Please use the button on the page',
      tone: 'danger',
      text: 'Your request did not come from the page of this link, so nothing was changed. Open the link from the mail again and press the button.',
    }),
  };
}
