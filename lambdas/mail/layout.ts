import { html, trusted, type SafeHtml } from '../shared/html.js';

/**
 * Building blocks of the HTML emails, for Outlook and Gmail: table layout, inline styles only,
 * widths as attributes, no CSS classes, flexbox, grid, external CSS, images or script.
 */
const FONT = "font-family:'Segoe UI',Helvetica,Arial,sans-serif;";
const TEXT = `${FONT}font-size:14px;line-height:20px;color:#1f2937;`;
const T = trusted('role="presentation" cellpadding="0" cellspacing="0" border="0"');

type Content = SafeHtml | string;

export const TONES = {
  danger: { bg: '#fdecea', border: '#d93025', text: '#8a1c14' },
  info: { bg: '#e8f0fe', border: '#1a73e8', text: '#174ea6' },
  success: { bg: '#e6f4ea', border: '#1e8e3e', text: '#0d652d' },
} as const;
export type Tone = keyof typeof TONES;

/** The whole message: grey background, one centred 680 px white card. */
export function emailDocument(o: { title: string; preheader: string; header: string; body: SafeHtml }): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light"><title>${o.title}</title></head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${o.preheader}</div>
<table ${T} width="100%" bgcolor="#f3f4f6" style="background-color:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">
<table ${T} width="680" style="width:680px;max-width:680px;background-color:#ffffff;border:1px solid #e5e7eb;">
<tr><td bgcolor="#0b3b66" style="background-color:#0b3b66;padding:16px 24px;${FONT}font-size:13px;line-height:18px;color:#ffffff;letter-spacing:0.3px;">${o.header}</td></tr>
<tr><td style="padding:24px;">${o.body}</td></tr>
</table>
</td></tr></table>
</body></html>`.value;
}

export function heading(text: string, size: 22 | 16 = 16): SafeHtml {
  return html`<p style="${FONT}margin:${size === 22 ? '0 0 12px' : '24px 0 8px'};font-size:${size}px;line-height:${size + 8}px;font-weight:600;color:#111827;">${text}</p>`;
}

export function paragraph(content: Content, muted = false): SafeHtml {
  return html`<p style="${TEXT}margin:0 0 12px;${muted ? 'color:#6b7280;font-size:13px;' : ''}">${content}</p>`;
}

/** A coloured box with a strong left border (the over-cap warning, auto-approval notes). */
export function banner(tone: Tone, title: string, body: Content): SafeHtml {
  const t = TONES[tone];
  return html`<table ${T} width="100%" style="margin:0 0 16px;"><tr><td bgcolor="${t.bg}" style="background-color:${t.bg};border-left:4px solid ${t.border};padding:12px 16px;${TEXT}color:${t.text};">
<strong style="font-size:15px;">${title}</strong><br>${body}</td></tr></table>`;
}

/** A "bulletproof" button: the colour sits on the table cell, so Outlook paints it too. */
export function button(href: string, label: string): SafeHtml {
  return html`<table ${T} style="margin:8px 0 8px;"><tr><td bgcolor="#0b57d0" style="background-color:#0b57d0;border-radius:6px;padding:12px 24px;">
<a href="${href}" style="${FONT}font-size:15px;font-weight:600;color:#ffffff;text-decoration:none;display:inline-block;">${label}</a></td></tr></table>`;
}

/** Key figures side by side (three cells of equal width). */
export function stats(cells: readonly { label: string; value: string; note?: string }[]): SafeHtml {
  const width = Math.floor(100 / Math.max(1, cells.length));
  return html`<table ${T} width="100%" style="margin:8px 0 16px;border:1px solid #e5e7eb;"><tr>${cells.map(
    (
      c,
      i,
    ) => html`<td width="${width}%" valign="top" style="padding:12px 14px;${i > 0 ? 'border-left:1px solid #e5e7eb;' : ''}${FONT}">
<div style="font-size:12px;line-height:16px;color:#6b7280;text-transform:uppercase;letter-spacing:0.4px;">${c.label}</div>
<div style="font-size:20px;line-height:28px;font-weight:600;color:#111827;">${c.value}</div>${c.note ? html`<div style="font-size:12px;line-height:16px;color:#6b7280;">${c.note}</div>` : ''}</td>`,
  )}</tr></table>`;
}

/** A data table with a header row and zebra rows. */
export function dataTable(
  headers: readonly string[],
  rows: readonly (readonly Content[])[],
  widths: readonly number[] = [],
): SafeHtml {
  const cell = 'padding:7px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top;';
  return html`<table ${T} width="100%" style="margin:0 0 8px;border:1px solid #e5e7eb;border-collapse:collapse;">
<tr>${headers.map((h, i) => html`<th align="left" ${widths[i] ? html`width="${widths[i]}"` : ''} bgcolor="#f9fafb" style="${cell}${FONT}font-size:12px;line-height:16px;color:#374151;font-weight:600;background-color:#f9fafb;">${h}</th>`)}</tr>
${rows.map((r, n) => html`<tr${n % 2 === 1 ? html` bgcolor="#fcfcfd"` : ''}>${r.map((c) => html`<td style="${cell}${FONT}font-size:13px;line-height:18px;color:#1f2937;">${c}</td>`)}</tr>`)}
</table>`;
}

/** Small grey text under a table or at the end. */
export const note = (content: Content): SafeHtml =>
  html`<p style="${FONT}margin:0 0 12px;font-size:12px;line-height:17px;color:#6b7280;">${content}</p>`;
