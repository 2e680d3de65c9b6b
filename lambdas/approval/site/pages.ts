import { html, trusted, type SafeHtml } from '../../shared/html.js';
import { PAGE_CSS } from './page-assets.js';

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
