import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../../lambdas/config/index.js';

export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../../config/example.local.json', import.meta.url));

/** The committed example configuration as raw JSON (a fresh copy each call). */
export function exampleConfigJson(): Record<string, any> {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
}

/** A valid configuration, with overrides applied to the raw JSON before validation. */
export function makeConfig(edit: (raw: Record<string, any>) => void = () => undefined): Config {
  const raw = exampleConfigJson();
  // Tests not about approver sign-in decide with the link alone; sign-in tests set approval.signIn.
  raw.approval.signIn = { mode: 'off' };
  edit(raw);
  return parseConfig(raw);
}
