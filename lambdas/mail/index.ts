export { SesMailer } from './ses-mailer.js';
