/** Command-line helpers shared by the simulators' CLIs. */
import { loadOrgFixture } from './org/fixture.js';
import { syntheticOrg, type SyntheticOrg } from './org/index.js';

/** A whole-number option within min..max, or exit 2 with a message naming it. */
export function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `within ${min}..${max}`;
    console.error(`--${name} must be an integer ${range}, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

/** A TCP port to listen on (0 = any free port), or exit 2 naming --port. */
export function portOption(value: string | undefined, fallback: number): number {
  return intOption('port', value, fallback, 0, 65_535);
}

/** A share option within 0..1, or exit 2 with a message naming it. */
export function shareOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) {
    console.error(`--${name} must be a number within 0..1, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

/**
 * The org a simulator CLI serves: a fixture file, or a synthetic org of --users people with
 * --scim-share of them SCIM-synced (default DEFAULT_SCIM_SYNCED_SHARE).
 */
export function orgFromArgs(values: { fixture?: string; users?: string; seed?: string; 'scim-share'?: string }): {
  org: SyntheticOrg;
  seed: number;
} {
  const seed = intOption('seed', values.seed, 1, 0);
  const scimSyncedShare = shareOption('scim-share', values['scim-share']);
  const org = values.fixture
    ? loadOrgFixture(values.fixture)
    : syntheticOrg({
        size: intOption('users', values.users, 1000, 0),
        seed,
        ...(scimSyncedShare !== undefined && { scimSyncedShare }),
      });
  return { org, seed };
}

/** Stops a simulator on SIGINT/SIGTERM, saying how many requests it served, and exits. */
export function stopOnSignals(sim: { stop(): Promise<void>; counters(): { total: number } }): void {
  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping (${sim.counters().total} requests served)`);
    sim.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** Runs a CLI's main, printing only the message of an error and exiting 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

/** The options every simulator CLI takes (parseArgs form); each adds its own. */
export const ORG_OPTIONS = {
  users: { type: 'string' },
  seed: { type: 'string' },
  port: { type: 'string' },
  fixture: { type: 'string' },
  'scim-share': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
