/**
 * The `lifecycle` command line in child processes against DynamoDB Local, the SES emulator and
 * both simulators: usage errors refused before anything runs (exit 2, the tables unchanged),
 * a missing or invalid configuration, no database, the plan with --dry-run / --as-of / --json,
 * proposals, approve and reject as an operator (quorum, the over-cap override, the audit), explain
 * on a proposed, an excluded, a kept and an undecided account, and the audit commands.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditReader, DynamoTokenStore } from '../../lambdas/store/index.js';
import type { AuditRecord, ProposalItem } from '../../lambdas/domain/index.js';
import { syntheticOrg, type Person } from '../sim/org/index.js';
import { lifecycleCli, tableSnapshot, type CliRun } from '../helpers/cli.js';
import { dynamoClient, outboxFor } from '../helpers/local.js';
import { startExecOrg, type ExecOrg } from '../helpers/start-exec-org.js';

const planAt = Date.now() - 60_000;
const org = syntheticOrg({ size: 150, seed: 12, now: new Date(planAt).toISOString() });
const tag = Math.random().toString(36).slice(2, 8);
const A = `cli-a-${tag}@example.com`;
const B = `cli-b-${tag}@example.com`;
const RUN = `cli-${tag}`;
const OVER = `cli-over-${tag}`;

// One person made undecided: a second Entra user carries the same email (an ambiguous join).
const undecided = org.people.find(
  (p) => p.accountType === 'atlassian' && !p.breakGlass && !p.orgAdmin && p.entra && p.accountStatus === 'active',
)!;
org.entraOnly.push({
  ...undecided.entra!,
  id: `dup-${undecided.entra!.id}`,
  userPrincipalName: `dup-${tag}@example.com`,
});

describe('lifecycle command line', () => {
  let w: ExecOrg;
  let env: Record<string, string>;
  let capsFile: string;
  const db = dynamoClient();
  const cli = (args: string[], extra: Record<string, string | undefined> = {}) =>
    lifecycleCli([...args], { ...env, ...extra });
  const snapshot = () => tableSnapshot(db, w.tables);
  const stream = async (name: string) => {
    const out: AuditRecord[] = [];
    for await (const r of new AuditReader(db, w.tables.audit).stream(name)) out.push(r);
    return out;
  };

  beforeAll(async () => {
    w = await startExecOrg(org, {
      planAt,
      editConfig: (raw) => {
        raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
        raw.approval = {
          ...raw.approval,
          approvers: [A, B],
          quorum: 2,
          autoApprove: [],
          reviewBaseUrl: 'http://127.0.0.1:9',
        };
      },
    });
    env = { ...w.childEnv, LIFECYCLE_CONFIG_FILE: w.configFile };
    const raw = JSON.parse(readFileSync(w.configFile, 'utf8'));
    raw.caps = { maxActionsPerRun: 1, maxPercentOfOrg: 1 };
    capsFile = w.configFile.replace(/config\.json$/, 'caps.json');
    writeFileSync(capsFile, JSON.stringify(raw));
    const planned = await cli(['plan', '--run-id', RUN]);
    expect(planned.code, planned.stderr).toBe(0);
    const over = await cli(['plan', '--run-id', OVER, '--config', capsFile]);
    expect(over.code, over.stderr).toBe(0);
  }, 900_000);
  afterAll(async () => {
    await w?.stop();
  });

  const usage = (r: CliRun, ...parts: string[]) => {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    for (const p of parts) expect(r.stderr).toContain(p);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  };

  describe('usage errors are refused before anything runs (exit 2, nothing written, no mail)', () => {
    it.each(
      (
        [
          [
            ['plan', 'dry-run'],
            ["too many arguments for 'plan'", 'did you mean --dry-run?'],
          ],
          [
            ['plan', '--frobnicate'],
            ["unknown option '--frobnicate'", 'lifecycle plan --help'],
          ],
          [['plan', '--run-id'], ["option '--run-id <id>' argument missing"]],
          [
            ['plan', '--run-id', ''],
            ["'--run-id <id>' argument '' is invalid", 'is empty'],
          ],
          [
            ['plan', '--run-id', 'x'.repeat(3_000)],
            ['--run-id <id>', 'has 3000 characters; at most 200'],
          ],
          [
            ['plan', '--run-id', 'a#b'],
            ['--run-id <id>', 'letters, digits and . _ : + -'],
          ],
          [
            ['plan', '--dry-run', '--as-of', '2026-02-30'],
            ['--as-of <date>', 'is not a day (YYYY-MM-DD'],
          ],
          [
            ['plan', '--as-of', '2020-01-15'],
            ['--as-of 2020-01-15 is more than approval.tokenLifetimeHours', 'with --dry-run'],
          ],
          [
            ['audit', 'day', '2026-02-30'],
            ["'2026-02-30' is invalid", 'expected YYYY-MM-DD'],
          ],
          [
            ['audit', 'day', 'yesterday'],
            ["'yesterday' is invalid", 'expected YYYY-MM-DD'],
          ],
          [
            ['audit', 'frob', 'x'],
            ["unknown command 'frob'", 'lifecycle audit --help'],
          ],
          [['frob'], ["unknown command 'frob'"]],
          [['proposals', 'show'], ["missing required argument 'proposalId'"]],
          [['approve', RUN], ["required option '--operator <email>' not specified"]],
          [['approve', RUN, '--operator', 'nobody'], ['"nobody" is not an email address']],
          [['explain'], ["missing required argument 'who'"]],
          [['execute'], ["missing required argument 'proposalId'"]],
          [['execute', 'p1', 'p2'], ["too many arguments for 'execute'"]],
          [
            ['undo', 'p1'],
            ['either --operator EMAIL', '--propose'],
          ],
          [['seats', '--format', 'xml'], ['expected table, csv or json']],
        ] as [string[], string[]][]
      ).map(([args, parts]) => [
        args.map((a) => (a.length > 40 ? `<${a.length} characters>` : JSON.stringify(a))).join(' '),
        args,
        parts,
      ]),
    )('lifecycle %s', async (_title, args, parts) => {
      const before = await snapshot();
      const mails = (await outboxFor(A)).length;
      usage(await cli(args), ...parts);
      expect(await snapshot()).toBe(before);
      expect(await outboxFor(A)).toHaveLength(mails);
    });
  });

  it('has --help on every command and subcommand, with the exit codes', async () => {
    const commands = [
      'plan',
      'proposals list',
      'proposals show',
      'approve',
      'reject',
      'explain',
      'execute',
      'undo',
      'audit verify',
      'audit day',
      'seats',
      'seats why',
      'report',
    ];
    const runs = await Promise.all(commands.map((c) => cli([...c.split(' '), '--help'])));
    runs.forEach((r, i) => {
      const c = commands[i]!;
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: lifecycle ${c}`);
      expect(r.stdout, c).toContain('Exit codes: 0 ok, 1 failed');
    });
  }, 300_000);

  describe('configuration', () => {
    it('names --config and how to fix it when the file is missing, without pointing at LIFECYCLE_CONFIG_FILE', async () => {
      const r = await cli(['plan', '--dry-run', '--config', '/nonexistent/cfg.json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--config /nonexistent/cfg.json: cannot read the file (ENOENT)');
      expect(r.stderr).not.toContain('LIFECYCLE_CONFIG_FILE');
    });

    it('says which variables to set when there is no configuration at all', async () => {
      const r = await cli(['proposals', 'list'], { LIFECYCLE_CONFIG_FILE: undefined });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('No configuration: set LIFECYCLE_CONFIG (JSON) or LIFECYCLE_CONFIG_FILE');
    });

    it('names the invalid field', async () => {
      const raw = JSON.parse(readFileSync(w.configFile, 'utf8'));
      raw.approval.quorum = 0;
      const bad = w.configFile.replace(/config\.json$/, 'bad.json');
      writeFileSync(bad, JSON.stringify(raw));
      const before = await snapshot();
      const r = await cli(['plan', '--config', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('approval.quorum');
      expect(await snapshot()).toBe(before);
    });
  });

  describe('no database', () => {
    it('says DynamoDB is not reachable and how to start one, before reading either API, and writes nothing', async () => {
      const requests = w.atlassian.counters().total;
      const r = await cli(['plan', '--dry-run'], { LIFECYCLE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('DynamoDB is not reachable at http://127.0.0.1:9 (LIFECYCLE_DYNAMODB_ENDPOINT)');
      expect(r.stderr).toContain('npx lifecycle local up');
      expect(w.atlassian.counters().total).toBe(requests);
    });

    it('names the missing table and the variable to set', async () => {
      const r = await cli(['audit', 'day', '2026-11-24'], { LIFECYCLE_TABLE_AUDIT: 'typo-audit' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the audit table "typo-audit" does not exist');
      expect(r.stderr).toContain('LIFECYCLE_TABLE_AUDIT');
    });

    const EVERY_COMMAND: string[][] = [
      ['plan'],
      ['proposals', 'list'],
      ['proposals', 'show', RUN],
      ['approve', RUN, '--operator', 'it-admin@example.com'],
      ['reject', RUN, '--operator', 'it-admin@example.com'],
      ['execute', RUN],
      ['undo', RUN, '--operator', 'it-admin@example.com'],
      ['explain', 'someone@example.com'],
      ['seats'],
      ['seats', 'why', 'someone@example.com'],
      ['report'],
    ];

    // `seats why` reads the account from the Atlassian API only: it needs no database.
    const STORED = EVERY_COMMAND.filter((c) => c.join(' ') !== 'seats why someone@example.com');
    it.each(STORED.map((c) => [c.join(' '), c] as const))(
      '%s: no database says so and how to start one (exit 1), nothing read or written',
      { timeout: 120_000 },
      async (_name, args) => {
        const requests = w.atlassian.counters().total;
        const before = await snapshot();
        const r = await cli(args, { LIFECYCLE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toContain('DynamoDB is not reachable at http://127.0.0.1:9 (LIFECYCLE_DYNAMODB_ENDPOINT)');
        expect(r.stderr).toContain('npx lifecycle local up');
        expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
        expect(w.atlassian.counters().total).toBe(requests);
        expect(await snapshot()).toBe(before);
      },
    );

    it.each(EVERY_COMMAND.map((c) => [c.join(' '), c] as const))(
      '%s: no configuration says which variables to set (exit 2), nothing written',
      { timeout: 120_000 },
      async (_name, args) => {
        const before = await snapshot();
        const r = await cli(args, { LIFECYCLE_CONFIG_FILE: undefined });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain('No configuration: set LIFECYCLE_CONFIG (JSON) or LIFECYCLE_CONFIG_FILE');
        expect(await snapshot()).toBe(before);
      },
    );

    it('prints --json errors as JSON on stdout too', async () => {
      const r = await cli(['proposals', 'list', '--json'], { LIFECYCLE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: false,
        exitCode: 1,
        error: expect.stringContaining('not reachable'),
      });
    });
  });

  describe('plan', () => {
    it('stored and mailed the proposal of a real run', async () => {
      // Two proposals were mailed to this run's approvers (the first plan and the over-cap one).
      expect(await outboxFor(A)).toHaveLength(2);
      const r = await cli(['proposals', 'list', '--status', 'ready', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const ids = (JSON.parse(r.stdout) as { proposalId: string }[]).map((p) => p.proposalId);
      expect(ids).toEqual(expect.arrayContaining([RUN, OVER]));
    });

    it('--dry-run --as-of prints tab-separated items only on stdout and writes one audit record', async () => {
      const before = await snapshot();
      const r = await cli(['plan', '--dry-run', '--as-of', '2026-01-15', '--run-id', `dry-${tag}`]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe('action\temail\tname\treason\tsummary');
      for (const l of lines) expect(l.split('\t')).toHaveLength(5);
      const records = await stream(`DRYRUN#dry-${tag}`);
      expect(records.map((x) => x.event)).toEqual(['PLAN_DRY_RUN']);
      expect(records[0]!.details).toMatchObject({ actions: lines.length - 1 });
      const after = JSON.parse(await snapshot());
      const was = JSON.parse(before);
      expect(after.state).toEqual(was.state);
      expect(after.audit.length).toBe(was.audit.length + 1);
    });

    it("--as-of moves the rules' today: a date a year on proposes more than one a year back", async () => {
      const count = async (asOf: string) => {
        const r = await cli(['plan', '--dry-run', '--json', '--as-of', asOf, '--run-id', `asof-${asOf}-${tag}`]);
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout).tally.actions as number;
      };
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      expect(await count(day(planAt + 365 * 86_400_000))).toBeGreaterThan(await count(day(planAt - 200 * 86_400_000)));
    });

    it('prints the dry run before its audit record, and still prints it when that write fails (exit 1)', async () => {
      // The audit variable points at a table of another shape: the write fails after the result is printed.
      const r = await cli(['plan', '--dry-run', '--run-id', `dryfail-${tag}`], {
        LIFECYCLE_TABLE_AUDIT: w.tables.seats,
      });
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n')[0]).toBe('action\temail\tname\treason\tsummary');
      expect(r.stderr).toContain("the dry run's result is above, but its audit record (stream DRYRUN#dryfail-");
    });
  });

  describe('proposals', () => {
    it('shows one proposal with its items', async () => {
      const r = await cli(['proposals', 'show', RUN]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^proposal\\s+${RUN}\\nstatus\\s+READY`));
      const json = JSON.parse((await cli(['proposals', 'show', RUN, '--json'])).stdout);
      expect(json.items.length).toBeGreaterThan(0);
      expect(r.stdout).toContain(json.items[0].accountId);
    });

    it('says so for an unknown id (exit 1)', async () => {
      const r = await cli(['proposals', 'show', 'no-such']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('there is no proposal "no-such"');
    });
  });

  describe('explain', () => {
    const explain = async (who: string) => {
      const r = await cli(['explain', who]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    let items: ProposalItem[];
    beforeAll(async () => {
      items = JSON.parse((await cli(['proposals', 'show', RUN, '--json'])).stdout).items;
    });

    it('a proposed account: the action and reason of its item', async () => {
      const item = items[0]!;
      const out = await explain(item.accountId);
      expect(out).toContain(`PROPOSED ${item.action} (${item.reason}): `);
      expect(out).toMatch(/\n {2}policy {5}/);
    });

    it('an excluded account (break-glass), by email', async () => {
      expect(await explain('breakglass-1@example.com')).toContain('EXCLUDED (BREAK_GLASS)');
    });

    it('a kept account: active lately, nothing proposed', async () => {
      const ids = new Set(items.map((i) => i.accountId));
      const recent = (p: Person) => p.lastActive && Date.parse(p.lastActive) > planAt - 20 * 86_400_000;
      const kept = org.people.find(
        (p) =>
          p !== undecided &&
          p.accountType === 'atlassian' &&
          p.accountStatus === 'active' &&
          p.membershipStatus === 'active' &&
          !p.orgAdmin &&
          !p.breakGlass &&
          p.entra &&
          !p.entra.groups.includes(org.groups.exclusion) &&
          recent(p) &&
          !ids.has(p.accountId),
      )!;
      expect(await explain(kept.atlassianEmail)).toContain(`${kept.atlassianEmail} (${kept.accountId}): KEPT: `);
    });

    it('an undecided account: the data it lacks', async () => {
      expect(await explain(undecided.accountId)).toContain('UNDECIDED (needs entra)');
    });

    it('an unknown account (exit 1)', async () => {
      const r = await cli(['explain', 'nobody-here@example.com']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no managed account with email "nobody-here@example.com"');
    });
  });

  describe('approve and reject', () => {
    const ballots = (id: string) => new DynamoTokenStore(db, w.tables.state).ballots(id);

    it('refuses someone who is not an approver, and records the refusal only', async () => {
      const before = JSON.parse(await snapshot());
      const r = await cli(['approve', RUN, '--operator', `intruder-${tag}@example.com`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`intruder-${tag}@example.com is not one of approval.approvers`);
      const after = JSON.parse(await snapshot());
      expect(after.state).toEqual(before.state);
      const refusal = (await stream(`PROPOSAL#${RUN}`)).at(-1)!;
      expect(refusal).toMatchObject({ event: expect.stringMatching(/REFUS/), proposalId: RUN });
    });

    it('records the approval as the operator and waits for the quorum of two', async () => {
      const r = await cli(['approve', RUN, '--operator', A]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`approve recorded as ${A}. Waiting for the quorum: 1 of 2 approvals.`);
      expect((await ballots(RUN)).map((b) => [b.approver, b.decision])).toEqual([[A, 'approve']]);
      const recorded = (await stream(`PROPOSAL#${RUN}`)).filter((x) => x.event === 'DECISION_RECORDED');
      expect(recorded.map((x) => x.actor)).toEqual([`approver:${A}`]);
      const again = await cli(['approve', RUN, '--operator', A]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`${A} has already decided`);
    });

    it('a rejection by the second approver decides it: nothing is executed', async () => {
      const r = await cli(['reject', RUN, '--operator', B, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).settlement).toMatchObject({ kind: 'rejected' });
      const show = JSON.parse((await cli(['proposals', 'show', RUN, '--json'])).stdout);
      expect(show.proposal.status).toBe('REJECTED');
      expect(show.items.every((i: ProposalItem) => i.state === 'REJECTED')).toBe(true);
    });

    it('refuses an over-cap proposal without --override (exit 3), records it with --override', async () => {
      const r = await cli(['approve', OVER, '--operator', A]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('add --override');
      expect(await ballots(OVER)).toEqual([]);
      const ok = await cli(['approve', OVER, '--operator', A, '--override']);
      expect(ok.code, ok.stderr).toBe(0);
      expect((await ballots(OVER)).map((b) => [b.approver, b.override])).toEqual([[A, true]]);
    });

    it('approves only the --items given: the others are deselected', async () => {
      const show = JSON.parse((await cli(['proposals', 'show', OVER, '--json'])).stdout);
      const first = show.items[0] as ProposalItem;
      const r = await cli(['approve', OVER, '--operator', B, '--override', '--items', first.accountId]);
      expect(r.code, r.stderr).toBe(0);
      const b = (await ballots(OVER)).find((x) => x.approver === B)!;
      expect(b.deselected).toHaveLength(show.items.length - 1);
      expect(b.deselected).not.toContain(first.accountId);
    });
  });

  describe('audit', () => {
    it('verifies a run stream', async () => {
      const r = await cli(['audit', 'verify', `RUN#${RUN}#1`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/records, chain verified/);
    });

    it('an unknown or empty stream is an error', async () => {
      const r = await cli(['audit', 'verify', `RUN#no-such-${tag}#1`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('has no records: nothing to verify');
      expect(r.stdout).not.toContain('chain verified');
    });

    it("lists a proposal's records as JSON lines, and --json as one array", async () => {
      const lines = (await cli(['audit', 'proposal', RUN])).stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(2);
      for (const l of lines) expect(JSON.parse(l).proposalId).toBe(RUN);
      const json = JSON.parse((await cli(['audit', 'proposal', RUN, '--json'])).stdout);
      expect(json).toHaveLength(lines.length);
    });
  });
});
