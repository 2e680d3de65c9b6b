/**
 * `npm run demo -- [--approve] [--users N] [--seed S] [--fixture FILE] [--as-of DATE] [--warn-days N]
 * [--out DIR] [--dry-run] [--keep] [--verbose]`: parsed and checked before anything starts (exit 2).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAsOf } from '../lambdas/plan/as-of.js';
import { loadOrgFixture } from '../test/sim/org/fixture.js';
import type { SyntheticOrg } from '../test/sim/org/index.js';

export interface DemoArgs {
  readonly users: number;
  readonly seed: number;
  /** The org of --fixture. */
  readonly org?: SyntheticOrg;
  readonly fixture?: string;
  /** The plan's today: --as-of, else the fixture's `now`, else now. */
  readonly asOf?: string;
  readonly warnDays?: number;
  readonly outDir: string;
  readonly approve: boolean;
  readonly dryRun: boolean;
  readonly keep: boolean;
  readonly verbose: boolean;
}

function usage(message: string): never {
  console.error(`npm run demo: ${message}`);
  process.exit(2);
}

export function demoArgs(argv: readonly string[] = process.argv.slice(2)): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        users: { type: 'string', default: '1000' },
        seed: { type: 'string', default: '7' },
        fixture: { type: 'string' },
        'as-of': { type: 'string' },
        'warn-days': { type: 'string' },
        out: { type: 'string' },
        keep: { type: 'boolean', default: false },
        approve: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  const users = Number(values.users);
  const seed = Number(values.seed);
  if (!Number.isInteger(users) || users < 2) usage(`--users must be a whole number >= 2 (got ${values.users})`);
  if (!Number.isInteger(seed)) usage(`--seed must be a whole number (got ${values.seed})`);
  const warnDays = values['warn-days'] === undefined ? undefined : Number(values['warn-days']);
  if (warnDays !== undefined && !(Number.isInteger(warnDays) && warnDays >= 0))
    usage(`--warn-days must be a whole number >= 0 (got ${values['warn-days']})`);
  const asOf = values['as-of'];
  if (asOf !== undefined && parseAsOf(asOf) === undefined)
    usage(`--as-of "${asOf}" is not a day (YYYY-MM-DD) or an instant with its offset (2026-11-24T02:00:00Z)`);
  let org: SyntheticOrg | undefined;
  if (values.fixture) {
    try {
      org = loadOrgFixture(values.fixture);
    } catch (err) {
      usage(`--fixture: ${(err as Error).message}`);
    }
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  return {
    users,
    seed,
    ...(org && { org, fixture: values.fixture }),
    ...((asOf ?? org?.now) && { asOf: asOf ?? org!.now }),
    ...(warnDays !== undefined && { warnDays }),
    outDir: resolve(values.out ?? `.local/demo-${stamp}`),
    approve: values.approve,
    dryRun: values['dry-run'],
    keep: values.keep,
    verbose: values.verbose,
  };
}
