/**
 * `lifecycle local up [--users N] [--seed S] [--fixture FILE]` and `lifecycle local down`: the
 * embedded stack in the background, with its state in LIFECYCLE_LOCAL_DIR (default `.local/`).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { globalsOf, printJson, run, UsageError } from './common.js';

interface UpOpts {
  readonly users: number;
  readonly seed: number;
  readonly fixture?: string;
}

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min)
      throw new InvalidArgumentError(`"${value}": expected a whole number >= ${min}.`);
    return n;
  };
}

export function register(program: Command): void {
  const local = program
    .command('local')
    .description(
      'The embedded local stack (DynamoDB Local, SES v2 emulator, Atlassian and Graph simulators, review site), run in the background. State in LIFECYCLE_LOCAL_DIR (default .local/): stack.json (pids, ports, environment), stack.log.',
    );
  local
    .command('up')
    .description(
      'Start it (tables created) and print the environment to use: eval "$(lifecycle local up)". Says so when it already runs.',
    )
    .option('--users <n>', 'people in the synthetic org', wholeNumber(2), 1000)
    .option('--seed <s>', 'seed of the synthetic org', wholeNumber(0), 7)
    .option('--fixture <file>', 'serve this org fixture (format in test/sim/org/fixture.ts) instead of a synthetic org')
    .action(run('local up', upAction));
  local
    .command('down')
    .description('Stop everything `local up` started; no process is left.')
    .action(run('local down', downAction));
}

async function upAction(opts: UpOpts, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const { localDir } = await import('../../local/state-file.js');
  const { localUp, exportLines, describeStack } = await import('../local-updown.js');
  const dir = localDir();
  if (opts.fixture) {
    // A broken fixture is refused here, with its problems, before anything starts.
    const { loadOrgFixture } = await import('../../test/sim/org/fixture.js');
    try {
      loadOrgFixture(opts.fixture);
    } catch (err) {
      throw new UsageError(`--fixture: ${(err as Error).message}`);
    }
  }
  const t0 = Date.now();
  const { state, already } = await localUp({
    dir,
    users: opts.users,
    seed: opts.seed,
    ...(opts.fixture && { fixture: opts.fixture }),
  });
  if (g.json) {
    printJson({ status: already ? 'already-running' : 'started', dir, ...state });
    return 0;
  }
  console.error(
    already
      ? `The local stack is already running (since ${state.startedAt}); \`lifecycle local down\` stops it. Its environment:`
      : `Started the local stack in ${((Date.now() - t0) / 1000).toFixed(1)} s. Use this environment (eval "$(lifecycle local up)" sets it):`,
  );
  console.error(describeStack(state, dir));
  console.log(exportLines(state, dir));
  return 0;
}

async function downAction(_opts: unknown, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const { localDir } = await import('../../local/state-file.js');
  const { localDown } = await import('../local-updown.js');
  const dir = localDir();
  const out = await localDown(dir);
  if (g.json) printJson(out ? { status: 'stopped', pids: out.stopped } : { status: 'not-running', dir });
  else if (out)
    console.log(
      `Stopped the local stack: ${out.stopped.length} processes (pids ${out.stopped.join(', ')}), none left.`,
    );
  else console.log(`No local stack is running (no state file in ${dir}).`);
  return 0;
}
