#!/usr/bin/env node
// The `lifecycle` command-line tool (npm run lifecycle -- <command>). Uses the same core as the
// Lambda functions, against whatever the configuration and environment point at.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { parseArgs } from 'node:util';

const USAGE = `usage: lifecycle <command> [options]

  plan [--run-id ID] [--dry-run] [--config FILE]
      Run the nightly plan now. --dry-run prints what would be proposed and writes nothing but
      one audit record.
  execute <proposalId> [--config FILE] [--verbose]
      Execute an approved proposal: the deployed state machine's definition, run here against
      what the configuration points at. Run it again to resume a stopped or failed run (items are
      acted on exactly once). Progress on stderr, one line per step; the outcome on stdout.
      Exit 0 when it ended with no failed item, 1 when it failed or an item failed.
  undo <proposalId> [--account ID]... (--operator EMAIL | --propose) [--config FILE]
      Reverse executed changes of a proposal (all of them, or the --account ones): reactivate
      deactivated accounts, move accounts back to the policy they were in. Builds a small undo
      proposal. --operator EMAIL: you approve it (recorded as the decider) and it is executed now;
      --propose: it is mailed to the approvers and executed once they approve it.
  seats [--from YYYY-MM-DD --to YYYY-MM-DD] [--format table|csv|json]
      Guard seat snapshots stored in the range (default the last 31 days), one row per snapshot.
  seats why <email|accountId>  Why one account is or is not billed under finance.tier, with the evidence.
  report [--month YYYY-MM] [--send] [--out DIR]
      The monthly finance report as of now, or of the billing period starting in that month: prints
      its text, writes the chart and CSVs to DIR, and mails it to finance.recipients with --send.
  audit verify <stream>        Check the hash chain of an audit stream (e.g. RUN#<runId>#1) and compare it
                               with the archive (LIFECYCLE_AUDIT_ARCHIVE_BUCKET, the stack's AuditArchive
                               output, or LIFECYCLE_AUDIT_ARCHIVE_DIR locally).
  audit account <accountId>    Every audit record about one account.
  audit day <YYYY-MM-DD>       Every audit record of one day (UTC).
  audit proposal <proposalId>  Every audit record about one proposal.

Configuration: --config FILE, or LIFECYCLE_CONFIG / LIFECYCLE_CONFIG_FILE.
Tables: LIFECYCLE_TABLE_STATE, LIFECYCLE_TABLE_AUDIT, LIFECYCLE_TABLE_SEATS (or LIFECYCLE_TABLE_PREFIX);
LIFECYCLE_DYNAMODB_ENDPOINT for DynamoDB Local; LIFECYCLE_REVIEW_BASE_URL (the stack's ReviewUrl output)
and LIFECYCLE_SES_ENDPOINT (the SES emulator) for mailing the proposal; LIFECYCLE_GRAPH_CA (PEM) to trust
a local Graph simulator's certificate.`;

/** Exits once everything written to stdout and stderr is flushed (a piped `audit ...` loses nothing). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

function parseCommandLine() {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const OPTIONS = {
  'run-id': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  config: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  account: { type: 'string', multiple: true },
  operator: { type: 'string' },
  propose: { type: 'boolean', default: false },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  month: { type: 'string' },
  send: { type: 'boolean', default: false },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
const { positionals, values } = parseCommandLine();
const [command, sub, arg] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}

const { loadConfigFile, loadConfigFromEnv, ConfigError } = await import('../lambdas/config/index.js');
const { runtimeEnv, createApproval, createExecDeps, createPlanDeps, dynamoClientFor, reviewBaseUrlOf } =
  await import('../lambdas/wiring/index.js');
const { AuditReader } = await import('../lambdas/store/index.js');

async function main(): Promise<number> {
  const env = runtimeEnv();
  if (command === 'plan') {
    const config = values.config ? loadConfigFile(values.config) : loadConfigFromEnv();
    const { runPlan } = await import('../lambdas/plan/index.js');
    // As the scheduled function does: a READY proposal is mailed to the approvers, a blocked or
    // failed run is mailed as an alert. Without a review URL there is no link to mail.
    const reviewable = reviewBaseUrlOf(config, env) !== undefined;
    const approval = reviewable ? createApproval({ config, env }) : undefined;
    if (!reviewable && !values['dry-run'])
      console.error(
        'Note: approval.reviewBaseUrl (or LIFECYCLE_REVIEW_BASE_URL) is not set: the proposal is stored but not mailed.',
      );
    const deps = await createPlanDeps({
      config,
      env,
      ...(approval && { handoff: approval.handoff, alert: approval.sendAlert }),
    });
    const runId = values['run-id'] ?? `manual-${new Date().toISOString()}`;
    const result = await runPlan(deps, { runId, dryRun: values['dry-run'] });
    if (result.items) {
      console.log(['action', 'email', 'name', 'reason', 'summary'].join('\t'));
      for (const i of result.items)
        console.log([i.action, i.email ?? '(hidden)', i.name ?? '', i.reason, i.summary].join('\t'));
    }
    const { items: _items, ...rest } = result;
    console.error(JSON.stringify(rest, null, 2));
    return result.status === 'blocked' ? 3 : 0;
  }
  if (command === 'execute') {
    if (!sub || arg !== undefined) {
      console.error(`lifecycle execute takes one proposal id\n\n${USAGE}`);
      return 2;
    }
    const config = values.config ? loadConfigFile(values.config) : loadConfigFromEnv();
    const { jsonLogger } = await import('../lambdas/shared/index.js');
    const { executeProposal, formatOutcome, exitCodeOf } = await import('./execute-run.js');
    // Log lines go to stderr with the progress (warnings and errors only, unless --verbose): stdout is the outcome.
    const logger = jsonLogger({
      minLevel: values.verbose ? 'debug' : 'warn',
      write: (line) => process.stderr.write(`${line}\n`),
    });
    const deps = await createExecDeps({ config, env, logger });
    const t0 = Date.now();
    const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    const result = await executeProposal(deps, sub, {
      progress: (line) => console.error(`[${since()}] ${line}`),
      startedBy: `cli:${process.env.USER ?? 'operator'}`,
    });
    console.log(formatOutcome(result));
    return exitCodeOf(result);
  }
  if (command === 'undo') {
    if (!sub || arg !== undefined || (values.operator === undefined) === !values.propose) {
      console.error(
        `lifecycle undo takes one proposal id and either --operator EMAIL (you approve the undo) or --propose (the approvers do)\n\n${USAGE}`,
      );
      return 2;
    }
    if (values.operator !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.operator)) {
      console.error(
        `lifecycle undo: --operator must be your email address (recorded as the one who approved the undo), got "${values.operator}".`,
      );
      return 2;
    }
    const config = values.config ? loadConfigFile(values.config) : loadConfigFromEnv();
    const { jsonLogger } = await import('../lambdas/shared/index.js');
    const { DynamoAuditLog, DynamoProposalStore } = await import('../lambdas/store/index.js');
    const { systemClock } = await import('../lambdas/shared/index.js');
    const { runUndo } = await import('./undo-run.js');
    const { formatOutcome, exitCodeOf } = await import('./execute-run.js');
    const logger = jsonLogger({
      minLevel: values.verbose ? 'debug' : 'warn',
      write: (line) => process.stderr.write(`${line}\n`),
    });
    const db = dynamoClientFor(env);
    const undoDeps = {
      config,
      clock: systemClock,
      proposals: new DynamoProposalStore(db, env.tables.state, systemClock),
      audit: new DynamoAuditLog(db, env.tables.audit, systemClock),
    };
    if (values.propose && reviewBaseUrlOf(config, env) === undefined) {
      console.error(
        'lifecycle undo --propose mails review links: set approval.reviewBaseUrl or LIFECYCLE_REVIEW_BASE_URL.',
      );
      return 2;
    }
    const mode =
      values.operator !== undefined
        ? { kind: 'operator' as const, operator: values.operator }
        : {
            kind: 'propose' as const,
            requestedBy: `cli:${process.env.USER ?? 'operator'}`,
            send: (p: Parameters<ReturnType<typeof createApproval>['handoff']>[0]) =>
              createApproval({ config, env, logger }).handoff(p),
          };
    const exec = values.operator !== undefined ? await createExecDeps({ config, env, logger }) : undefined;
    const result = await runUndo({ exec: exec!, undo: undoDeps }, sub, values.account, mode, (line) =>
      console.error(line),
    );
    if (!result.executed) {
      console.log(`${result.proposal.proposalId}: ${result.items} item(s) sent to the approvers`);
      return 0;
    }
    console.log(formatOutcome(result.executed));
    return exitCodeOf(result.executed);
  }
  if (command === 'seats' || command === 'report') {
    const config = values.config ? loadConfigFile(values.config) : loadConfigFromEnv();
    const { runFinanceCommand } = await import('./finance-cli.js');
    return runFinanceCommand({ command, sub, arg, values, config, env });
  }
  if (command === 'audit') {
    const reader = new AuditReader(dynamoClientFor(env), env.tables.audit);
    if (sub === 'verify' && arg) {
      const { verifyAudit } = await import('./audit-verify.js');
      const out = await verifyAudit(reader, arg, process.env);
      console.log(out.text);
      return out.ok ? 0 : 1;
    }
    const queries: Record<string, (key: string) => AsyncGenerator<unknown>> = {
      account: (k) => reader.byAccount(k),
      day: (k) => reader.byDay(k),
      proposal: (k) => reader.byProposal(k),
    };
    const records = sub && arg && queries[sub] ? queries[sub](arg) : undefined;
    if (!records) {
      console.error(USAGE);
      return 2;
    }
    for await (const r of records) console.log(JSON.stringify(r));
    return 0;
  }
  console.error(`unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

main().then(
  (code) => exitAfterFlush(code),
  (err: unknown) => {
    console.error(
      err instanceof ConfigError
        ? err.message
        : (err as Error).name === 'UndoError' || (err as Error).name === 'SeatsQueryError'
          ? `lifecycle ${command}: ${(err as Error).message}`
          : `lifecycle ${command}: ${(err as Error).name}: ${(err as Error).message}`,
    );
    exitAfterFlush(1);
  },
);
