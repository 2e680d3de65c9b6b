/**
 * `lifecycle report [--month YYYY-MM] [--send] [--out DIR]`: builds the monthly finance report as
 * of now (or the end of the billing period starting in that month), prints its text, writes the
 * chart and CSVs to DIR when asked, and mails it to the finance recipients with --send.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildMonthlyReport,
  reportAsOf,
  type MonthlyReportDeps,
  type MonthlyReportOptions,
} from '../lambdas/reports/index.js';

export interface ReportArgs {
  readonly month?: string;
  readonly send?: boolean;
  readonly out?: string;
}

export interface ReportRun {
  readonly text: string;
  readonly files: readonly string[];
  readonly messageId?: string;
  readonly recipients: readonly string[];
}

export async function reportCommand(
  deps: MonthlyReportDeps,
  options: MonthlyReportOptions,
  args: ReportArgs,
): Promise<ReportRun> {
  const asOf = reportAsOf(args.month, deps.clock.now(), options.settings);
  const run = { ...deps, clock: { now: () => asOf } };
  const { message } = await buildMonthlyReport(run, options);
  const files: string[] = [];
  if (args.out) {
    mkdirSync(args.out, { recursive: true });
    for (const a of message.attachments.filter((x) => x.disposition === 'attachment')) {
      const path = join(args.out, a.filename);
      writeFileSync(path, a.content);
      files.push(path);
    }
  }
  if (!args.send) return { text: `${message.subject}\n\n${message.text}`, files, recipients: [] };
  if (message.to.length === 0)
    throw new Error('finance.recipients is empty: add the finance team to the configuration to --send the report');
  const { messageId } = await deps.mailer.send(message);
  return { text: `${message.subject}\n\n${message.text}`, files, messageId, recipients: message.to };
}
