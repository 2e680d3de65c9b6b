/**
 * Runs the Atlassian simulator in the foreground:
 *   npx tsx test/sim/atlassian/cli.ts --users 5000 --seed 7 --port 4010 [--scim-share 0.03] [--fixture org.json] [--api-key KEY]
 *     [--faults '{"users-read":{"status5xxRate":0.1,"resetRate":0.05,"delayMs":200,"storm429":20}}' | --faults @faults.json]
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ORG_OPTIONS, orgFromArgs, portOption, runCli, stopOnSignals } from '../cli-args.js';
import { atlassianFaults, FaultArgError, readFaultsArg } from '../fault-args.js';
import { startAtlassianSim } from './index.js';

const DEFAULT_API_KEY = 'sim-api-key';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...ORG_OPTIONS,
      'api-key': { type: 'string' },
      faults: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(
      'usage: tsx test/sim/atlassian/cli.ts [--users 5000] [--seed 7] [--port 4010] [--scim-share 0.03] [--fixture org.json] [--api-key KEY] [--faults JSON|@file]\n' +
        '  --faults per endpoint class (users-read, last-active, user-write, policy): status5xxRate, resetRate (0..1), delayMs,\n' +
        '    storm429 (next N requests answer 429), malformedPages {kind: truncated-json|missing-field, pages, rate, times},\n' +
        '    taskFailures {rate, emails} (policy), adminRolesInListing omitted|empty (users-read)',
    );
    return;
  }
  const { org, seed } = orgFromArgs(values);
  const apiKey = values['api-key'] ?? DEFAULT_API_KEY;
  const port = portOption(values.port, 0);
  let faults;
  try {
    faults = values.faults === undefined ? undefined : atlassianFaults(readFaultsArg(values.faults));
  } catch (e) {
    if (!(e instanceof FaultArgError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
  const sim = await startAtlassianSim({ org, apiKey, port, seed, ...(faults && { faults }) });
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
  if (faults) console.log(`  faults:          ${JSON.stringify(faults)}`);
  console.log(`  try:             curl -H "Authorization: Bearer <key>" ${sim.url}/admin/v1/orgs/${org.orgId}/users`);
  stopOnSignals(sim);
}

runCli(main);
