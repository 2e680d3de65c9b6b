/**
 * Runs the Atlassian simulator in the foreground:
 *   npx tsx test/sim/atlassian/cli.ts --users 5000 --seed 7 --port 4010 [--scim-share 0.03] [--fixture org.json] [--api-key KEY]
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { intOption, ORG_OPTIONS, orgFromArgs, runCli, stopOnSignals } from '../cli-args.js';
import { startAtlassianSim } from './index.js';

const DEFAULT_API_KEY = 'sim-api-key';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...ORG_OPTIONS,
      'api-key': { type: 'string' },
    },
  });
  if (values.help) {
    console.log(
      'usage: tsx test/sim/atlassian/cli.ts [--users 5000] [--seed 7] [--port 4010] [--scim-share 0.03] [--fixture org.json] [--api-key KEY]',
    );
    return;
  }
  const { org, seed } = orgFromArgs(values);
  const apiKey = values['api-key'] ?? DEFAULT_API_KEY;
  const sim = await startAtlassianSim({ org, apiKey, port: intOption('port', values.port, 0, 0), seed });
  console.log(`Atlassian simulator listening on ${sim.url}  (stands for https://api.atlassian.com)`);
  console.log(`  org id:          ${org.orgId}`);
  console.log(`  directory id:    ${org.directoryId}`);
  console.log(`  policies:        billable=${org.policies.billableId}  nonbillable=${org.policies.nonbillableId}`);
  console.log(
    `  people:          ${org.people.length}${values.fixture ? ` (from ${values.fixture})` : ` (synthetic, seed ${seed})`}`,
  );
  console.log(
    `  API key:         ${values['api-key'] ? `${apiKey.slice(0, 4)}… (as given with --api-key)` : `${apiKey} (default; send "Authorization: Bearer ${apiKey}")`}`,
  );
  const synced = org.people.filter((p) => p.managementSource === 'synced').length;
  console.log(`  SCIM-synced:     ${synced} (refused by lifecycle disable/enable and v2 suspend/restore)`);
  console.log(
    `  control (test):  ${sim.url}/__sim/mutations, /__sim/counts, /__sim/state/{accountId}, POST /__sim/reset-log`,
  );
  console.log(`  try:             curl -H "Authorization: Bearer <key>" ${sim.url}/admin/v1/orgs/${org.orgId}/users`);
  stopOnSignals(sim);
}

runCli(main);
