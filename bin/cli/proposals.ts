/** `lifecycle proposals list|show <id>`: the stored proposals, read-only. */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { InvalidArgumentError, type Command } from 'commander';
import type { ProposalItem, ProposalMeta } from '../../lambdas/domain/index.js';
import { CliError, globalsOf, loadConfig, printJson, run } from './common.js';
import { checkStore } from './store-check.js';

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError(`"${value}": expected a whole number from 1 to 1000.`);
  return n;
}

export function register(program: Command): void {
  const proposals = program.command('proposals').description('The stored proposals (read-only).');
  proposals
    .command('list')
    .description("The org's proposals, newest first: id, status, items per action, created, decided.")
    .option('--limit <n>', 'at most this many (default 20)', parseLimit)
    .option(
      '--status <status>',
      'only this status (READY, APPROVED, REJECTED, EXPIRED, EMPTY, ABANDONED, BUILDING)',
      (v) => v.toUpperCase(),
    )
    .action(run('proposals list', listAction));
  proposals
    .command('show')
    .description('One proposal: its status, decision, ballots and every item with its action, reason and state.')
    .argument('<proposalId>')
    .action(run('proposals show', showAction));
}

async function stores(cmd: Command) {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv, dynamoClientFor } = await import('../../lambdas/wiring/index.js');
  const { DynamoProposalStore, DynamoTokenStore } = await import('../../lambdas/store/index.js');
  const { systemClock } = await import('../../lambdas/shared/index.js');
  const env = runtimeEnv();
  await checkStore(env, ['state']);
  const db = dynamoClientFor(env);
  return {
    g,
    config,
    env,
    db,
    proposals: new DynamoProposalStore(db, env.tables.state, systemClock),
    tokens: new DynamoTokenStore(db, env.tables.state),
  };
}

async function listAction(opts: { limit?: number; status?: string }, cmd: Command): Promise<number> {
  const { g, config, env, db } = await stores(cmd);
  const limit = opts.limit ?? 20;
  const out: ProposalMeta[] = [];
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: env.tables.state,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: {
          ':p': { S: `PROPOSALS#${config.orgId}` },
          ...(opts.status && { ':s': { S: opts.status } }),
        },
        ...(opts.status && { FilterExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' } }),
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const raw of res.Items ?? []) {
      const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...meta } = unmarshall(raw);
      out.push(meta as ProposalMeta);
    }
    start = res.LastEvaluatedKey;
  } while (start && out.length < limit);
  const shown = out.slice(0, limit);
  if (g.json) printJson(shown);
  else if (shown.length === 0)
    console.log(`No proposals for org ${config.orgId}${opts.status ? ` with status ${opts.status}` : ''}.`);
  else {
    console.log(['proposal', 'status', 'items', 'created', 'decided'].join('\t'));
    for (const p of shown)
      console.log(
        [p.proposalId, p.status, countsOf(p), p.createdAt, p.decidedAt ? `${p.decidedAt} by ${p.decidedBy}` : ''].join(
          '\t',
        ),
      );
  }
  return 0;
}

function countsOf(p: ProposalMeta): string {
  const parts = Object.entries(p.counts ?? {}).map(([k, n]) => `${k} ${n}`);
  return `${p.itemCount ?? 0}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

async function showAction(proposalId: string, _opts: unknown, cmd: Command): Promise<number> {
  const { g, proposals, tokens } = await stores(cmd);
  const meta = await proposals.get(proposalId);
  if (!meta) throw new CliError(`there is no proposal "${proposalId}": see \`lifecycle proposals list\` for the ids.`);
  const items: ProposalItem[] = [];
  for await (const i of proposals.items(proposalId)) items.push(i);
  const ballots = await tokens.ballots(proposalId);
  if (g.json) {
    printJson({ proposal: meta, ballots, items });
    return 0;
  }
  const line = (k: string, v: unknown) => v !== undefined && v !== '' && console.log(`${k.padEnd(10)} ${String(v)}`);
  line('proposal', meta.proposalId);
  line('status', meta.status);
  line('items', countsOf(meta));
  line('managed', meta.managedCount);
  line('created', meta.createdAt);
  line('sent', meta.sentAt);
  line('expires', meta.expiresAt);
  line('decided', meta.decidedAt && `${meta.decidedAt} by ${meta.decidedBy}`);
  if (meta.suspicious)
    line('caps', `over the caps: ${(meta.suspiciousReasons ?? []).join('; ')} (approving needs --override)`);
  for (const b of ballots)
    line(
      'ballot',
      `${b.approver}: ${b.decision} at ${b.castAt}${b.deselected.length ? `, ${b.deselected.length} deselected` : ''}${b.override ? ', override' : ''}`,
    );
  console.log('');
  console.log(['accountId', 'email', 'name', 'action', 'reason', 'state'].join('\t'));
  for (const i of items)
    console.log([i.accountId, i.email ?? '(hidden)', i.name ?? '', i.action, i.reason, i.state].join('\t'));
  return 0;
}
