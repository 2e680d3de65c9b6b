/**
 * `lifecycle seats`: the stored snapshots for a date range as a table, CSV or JSON; and
 * `lifecycle seats why <email|accountId>`: why one account is (or is not) billed, in one line.
 */
import type { Config } from '../lambdas/config/index.js';
import {
  explainAccount,
  seatsReport,
  SeatsQueryError,
  type AccountFactsSource,
  type SeatsFormat,
  type SnapshotSource,
} from '../lambdas/reports/index.js';

const DAY_MS = 86_400_000;

export interface SeatsArgs {
  readonly from?: string;
  readonly to?: string;
  readonly format?: string;
}

/** The range defaults to the last 31 days up to now (both ends accepted as dates or ISO instants). */
export async function seatsCommand(
  snapshots: SnapshotSource,
  config: Config,
  args: SeatsArgs,
  nowMs: number,
): Promise<string> {
  return seatsReport(snapshots, {
    orgId: config.orgId,
    from: args.from ?? new Date(nowMs - 31 * DAY_MS).toISOString(),
    to: args.to ?? new Date(nowMs + 1).toISOString(),
    format: (args.format ?? 'table') as SeatsFormat,
    timeZone: config.finance.timeZone,
  });
}

/** The answer: its `line` is the account, then the verdict under the configured tier with its evidence. */
export async function seatsWhyAnswer(accounts: AccountFactsSource, config: Config, who: string) {
  if (!who.trim()) throw new SeatsQueryError('seats why takes an email or an account id', 'who', who);
  return explainAccount(accounts, {
    orgId: config.orgId,
    who,
    rule: { tier: config.finance.tier, policies: config.policies },
  });
}

/** One line: the account, then the verdict under the configured tier with its evidence. */
export async function seatsWhyCommand(accounts: AccountFactsSource, config: Config, who: string): Promise<string> {
  return (await seatsWhyAnswer(accounts, config, who)).line;
}
