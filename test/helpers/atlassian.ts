import { AtlassianClient, type AtlassianClientOptions } from '../../lambdas/atlassian/index.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';
import { startAtlassianSim, type AtlassianSim, type AtlassianSimOptions } from '../sim/atlassian/index.js';
import { syntheticOrg, type SyntheticOrg } from '../sim/org/index.js';

export const TEST_API_KEY = 'ATATT3xFfGF0-test-secret-KEY-6b1d9e';

export interface ClientAndSim {
  sim: AtlassianSim;
  client: AtlassianClient;
  clock: ManualClock;
  logger: ReturnType<typeof memoryLogger>;
  org: SyntheticOrg;
}

/** A simulator and a client sharing one manual clock, so long waits take no real time. */
export async function clientAndSim(
  options: {
    size?: number;
    seed?: number;
    org?: SyntheticOrg;
    sim?: Partial<AtlassianSimOptions>;
    client?: Partial<AtlassianClientOptions>;
    apiKey?: string;
  } = {},
): Promise<ClientAndSim> {
  const clock = new ManualClock(Date.parse('2026-11-01T02:00:00Z'));
  const org = options.org ?? syntheticOrg({ size: options.size ?? 200, seed: options.seed ?? 7 });
  const sim = await startAtlassianSim({ org, apiKey: TEST_API_KEY, clock: () => clock.now(), ...options.sim });
  const logger = memoryLogger();
  const client = new AtlassianClient({
    baseUrl: sim.url,
    apiKey: options.apiKey ?? TEST_API_KEY,
    orgId: org.orgId,
    clock,
    logger,
    directoryId: org.directoryId,
    ...options.client,
  });
  return { sim, client, clock, logger, org };
}
