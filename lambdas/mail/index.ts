/** Mail shared by every use case: layout, labels and formats, the items CSV, the results email, and the SES adapter. */
export { SesMailer } from './ses-mailer.js';
export type { RenderedEmail } from './text.js';
export { renderResultsEmail, Outcome, type ResultsEmailInput } from './results-email.js';
export { proposalCsv, toCsv, csvCell } from './csv.js';
