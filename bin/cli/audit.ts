/** `lifecycle audit verify|account|proposal|day`: the audit trail, read-only. */
import type { Command } from 'commander';
import { CliError, globalsOf, printJson, run } from './common.js';
import { checkStore } from './store-check.js';
import { parseDay } from './values.js';

export function register(program: Command): void {
  const audit = program
    .command('audit')
    .description('Read and verify the audit trail (read-only).')
    .addHelpText('after', '\nExample: lifecycle audit verify "RUN#2026-11-24T02:00:00Z#1"');
  audit
    .command('verify')
    .description(
      "Check the hash chain of an audit stream (e.g. RUN#<runId>#1) and compare it with the archive (LIFECYCLE_AUDIT_ARCHIVE_BUCKET, the stack's AuditArchive output, or LIFECYCLE_AUDIT_ARCHIVE_DIR locally). A stream with no records is an error.",
    )
    .argument('<stream>', 'the stream, e.g. RUN#<runId>#1 or PROPOSAL#<proposalId>')
    .action(run('audit verify', verifyAction));
  const query = (name: string, arg: string, text: string, parse?: (v: string) => string) => {
    const c = audit
      .command(name)
      .description(text)
      .action(run(`audit ${name}`, listAction(name)));
    if (parse) c.argument(arg, 'YYYY-MM-DD (UTC)', parse);
    else c.argument(arg);
  };
  query('account', '<accountId>', 'Every audit record about one account, one JSON line each.');
  query('proposal', '<proposalId>', 'Every audit record about one proposal, one JSON line each.');
  query('day', '<day>', 'Every audit record of one day (UTC), one JSON line each.', parseDay);
}

async function reader() {
  const { runtimeEnv, dynamoClientFor } = await import('../../lambdas/wiring/index.js');
  const { AuditReader } = await import('../../lambdas/store/index.js');
  const env = runtimeEnv();
  await checkStore(env, ['audit']);
  return new AuditReader(dynamoClientFor(env), env.tables.audit);
}

async function verifyAction(stream: string, _opts: unknown, cmd: Command): Promise<number> {
  const { verifyAudit } = await import('../audit-verify.js');
  const out = await verifyAudit(await reader(), stream, process.env);
  if (out.empty)
    throw new CliError(
      `audit stream "${stream}" has no records: nothing to verify. Check the name (e.g. RUN#<runId>#1, PROPOSAL#<proposalId>; quote it in the shell) and the audit table (LIFECYCLE_TABLE_AUDIT).`,
    );
  if (globalsOf(cmd).json) printJson(out);
  else console.log(out.text);
  return out.ok ? 0 : 1;
}

function listAction(kind: string) {
  return async (key: string, _opts: unknown, cmd: Command): Promise<number> => {
    const r = await reader();
    const records = kind === 'account' ? r.byAccount(key) : kind === 'day' ? r.byDay(key) : r.byProposal(key);
    const all = [];
    for await (const rec of records) {
      if (globalsOf(cmd).json) all.push(rec);
      else console.log(JSON.stringify(rec));
    }
    if (globalsOf(cmd).json) printJson(all);
    return 0;
  };
}
