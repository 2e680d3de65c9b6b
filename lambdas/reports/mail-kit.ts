/**
 * The one place the finance report borrows the approval step's pure mail helpers (escaping HTML
 * template, Outlook-safe layout blocks, CSV writer with formula-injection guard). When those move
 * to a shared folder, only these lines change.
 */
export { html, trusted, escapeHtml, SafeHtml } from '../approval/html.js';
export { emailDocument, heading, paragraph, banner, stats, dataTable, note } from '../approval/email-layout.js';
export { toCsv, csvCell } from '../approval/csv.js';
export { money, plural } from '../approval/format.js';
