/** Command-line helpers shared by the simulators' CLIs. */
import { loadOrgFixture } from './org/fixture.js';
import { syntheticOrg, type SyntheticOrg } from './org/index.js';

/** A whole-number option, or exit 2 with a message naming it. */
export function intOption(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

/** The org a simulator CLI serves: a fixture file, or a synthetic org of --users people. */
export function orgFromArgs(values: { fixture?: string; users?: string; seed?: string }): { org: SyntheticOrg; seed: number } {
  const seed = intOption('seed', values.seed, 1, 0);
  const org = values.fixture ? loadOrgFixture(values.fixture) : syntheticOrg({ size: intOption('users', values.users, 1000, 0), seed });
  return { org, seed };
}
