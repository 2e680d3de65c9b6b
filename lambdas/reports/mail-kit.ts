/**
 * The mail helpers the finance report takes from the shared mail folder (escaping HTML template,
 * Outlook-safe layout blocks, CSV writer with formula-injection guard, money and plural formats).
 */
export { html, trusted, escapeHtml, SafeHtml } from '../shared/html.js';
export { emailDocument, heading, paragraph, banner, stats, dataTable, note } from '../mail/layout.js';
export { toCsv, csvCell } from '../mail/csv.js';
export { money, plural } from '../mail/format.js';
