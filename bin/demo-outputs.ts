/**
 * The demo's outputs folder: every mail the run sent (from the SES emulator) as .eml and, when it
 * has one, its HTML part as .html, and every attachment (CSV, chart PNG) beside it. Warning mails
 * to people are many and alike: the first WARNINGS_KEPT are kept, the rest counted.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSes, StoredEmail } from '../local/ses.js';

export const WARNINGS_KEPT = 3;

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

export const isWarning = (m: StoredEmail) => m.subject.startsWith('Your Atlassian account will be deactivated');

/** Writes the mails; returns the files written and the warning mails left out. */
export async function saveMails(
  ses: LocalSes,
  dir: string,
): Promise<{ files: string[]; mails: number; warningsLeftOut: number }> {
  mkdirSync(dir, { recursive: true });
  const all = await ses.outbox();
  const warnings = all.filter(isWarning);
  const kept = all.filter((m) => !isWarning(m) || warnings.indexOf(m) < WARNINGS_KEPT);
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    files.push(path);
  };
  for (const [i, m] of kept.entries()) {
    const base = `mail-${String(i + 1).padStart(2, '0')}-${slug(m.subject)}`;
    const eml = await fetch(`${ses.endpoint}/get-emlContent?messageId=${encodeURIComponent(m.messageId)}`);
    if (eml.ok) write(`${base}.eml`, await eml.text());
    if (m.body.html) write(`${base}.html`, m.body.html);
    // An attachment already in the folder under its own name (the report's chart and CSVs) is not written twice.
    for (const a of m.attachments)
      if (a.filename && !existsSync(join(dir, a.filename)))
        write(`${base}--${a.filename.replace(/[^\w.-]+/g, '_')}`, Buffer.from(a.content, 'base64'));
  }
  return { files, mails: all.length, warningsLeftOut: warnings.length - Math.min(warnings.length, WARNINGS_KEPT) };
}
