/**
 * Runs the Graph simulator in the foreground:
 *   npx tsx test/sim/graph/cli.ts --users 5000 --seed 7 --port 4011 [--scim-share 0.03] [--fixture org.json] [--client-secret S] [--no-premium]
 *     [--faults '[{"fault":{"kind":"throttle","retryAfterSeconds":5},"times":3}]' | --faults @faults.json]
 * Prints the CA certificate path to trust (NODE_EXTRA_CA_CERTS) and stops cleanly on SIGINT/SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ORG_OPTIONS, orgFromArgs, portOption, runCli, stopOnSignals } from '../cli-args.js';
import { FaultArgError, graphFaults, readFaultsArg } from '../fault-args.js';
import { startGraphSim } from './index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...ORG_OPTIONS,
      'client-secret': { type: 'string' },
      'no-premium': { type: 'boolean' },
      faults: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(
      'usage: tsx test/sim/graph/cli.ts [--users 5000] [--seed 7] [--port 4011] [--scim-share 0.03] [--fixture org.json] [--client-secret S] [--no-premium] [--faults JSON|@file]\n' +
        '  --faults a list of rules {fault, routes?, where?, times?, skip?}; fault.kind throttle {retryAfterSeconds},\n' +
        '    status {status: 500|502|503|504, retryAfterSeconds}, reset, slow {delayMs}, malformed (JSON cut short);\n' +
        '    routes among openid, token, transitiveMembers, users, user, domains, batch; where direct|inner|any',
    );
    return;
  }
  const { org, seed } = orgFromArgs(values);
  const port = portOption(values.port, 4011);
  let faults;
  try {
    faults = values.faults === undefined ? undefined : graphFaults(readFaultsArg(values.faults));
  } catch (e) {
    if (!(e instanceof FaultArgError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
  const sim = await startGraphSim({
    org,
    port,
    ...(faults && { faults }),
    premium: !values['no-premium'],
    ...(values['client-secret'] !== undefined && { clientSecret: values['client-secret'] }),
  });
  const caPath = join(tmpdir(), `graph-sim-ca-${process.pid}.pem`);
  writeFileSync(caPath, sim.ca);
  const members = sim.model.transitive(org.groups.confluence)?.filter((o) => o.kind === 'user').length ?? 0;
  console.log(
    `Graph simulator listening on ${sim.url}  (stands for https://login.microsoftonline.com and https://graph.microsoft.com)`,
  );
  console.log(`  tenant id:       ${sim.tenantId}`);
  console.log(`  client id:       ${sim.clientId}`);
  console.log(
    `  client secret:   ${values['client-secret'] ? '(as given with --client-secret)' : `${sim.clientSecret} (default; export GRAPH_CLIENT_SECRET=${sim.clientSecret})`}`,
  );
  console.log(
    `  users:           ${sim.model.users.size}${values.fixture ? ` (from ${values.fixture})` : ` (synthetic, seed ${seed})`}`,
  );
  console.log(`  confluence group ${org.groups.confluence}: ${members} transitive user members`);
  console.log(`  premium (P1):    ${!values['no-premium']}`);
  if (faults) console.log(`  faults:          ${JSON.stringify(faults)}`);
  console.log(`  CA certificate:  ${caPath}   (trust it: NODE_EXTRA_CA_CERTS=${caPath})`);
  stopOnSignals(sim);
}

runCli(main);
