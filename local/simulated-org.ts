/**
 * The Atlassian and Graph simulators are a documented part of the local stack (README, "How the
 * code is laid out"): `npm run demo` and the lifecycle CLI run against them. They live in test/sim/
 * because the contract tests own them; this file is the local stack's one door to them.
 */
import type { Config } from '../lambdas/config/index.js';
import { startAtlassianSim, type AtlassianSim } from '../test/sim/atlassian/index.js';
import { startGraphSim, type GraphSim } from '../test/sim/graph/index.js';
import { syntheticOrg, type SyntheticOrg } from '../test/sim/org/index.js';

/** The two simulators of a synthetic org, and the configuration that points at them. */
export interface SimulatedOrg {
  readonly org: SyntheticOrg;
  readonly atlassian: AtlassianSim;
  readonly graph: GraphSim;
  /** Secrets as environment variables, for the `{"source":"env"}` references of the config. */
  readonly secretsEnv: Record<string, string>;
  /** `base` with the URLs, ids and tenant of the simulators filled in. */
  readonly config: Config;
  stop(): Promise<void>;
}

const API_KEY = 'local-demo-api-key';

export interface SimulatedOrgOptions {
  readonly users: number;
  readonly seed: number;
  /** Serve this org (e.g. loadOrgFixture's) instead of a synthetic one of `users` people. */
  readonly org?: SyntheticOrg;
}

export async function startSimulatedOrg(base: Config, options: SimulatedOrgOptions): Promise<SimulatedOrg> {
  const org =
    options.org ??
    syntheticOrg({
      size: options.users,
      seed: options.seed,
      orgId: base.orgId,
      now: new Date().toISOString(),
    });
  const [atlassian, graph] = await Promise.all([startAtlassianSim({ org, apiKey: API_KEY }), startGraphSim({ org })]);
  if (base.atlassian.apiKey.source !== 'env' || base.entra.clientSecret.source !== 'env') {
    await Promise.all([atlassian.stop(), graph.stop()]);
    throw new Error(
      'The local demo reads its secrets from the environment: use {"source":"env",...} for atlassian.apiKey and entra.clientSecret.',
    );
  }
  const config: Config = {
    ...base,
    orgId: org.orgId,
    atlassian: { ...base.atlassian, baseUrl: atlassian.url, directoryId: org.directoryId },
    entra: {
      ...base.entra,
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      authorityHost: graph.url,
      graphBaseUrl: graph.url,
      confluenceGroupId: org.groups.confluence,
      exclusionGroupIds: [org.groups.exclusion],
    },
    policies: org.policies,
  };
  return {
    org,
    atlassian,
    graph,
    config,
    secretsEnv: { [base.atlassian.apiKey.name]: API_KEY, [base.entra.clientSecret.name]: graph.clientSecret },
    stop: async () => {
      await Promise.all([atlassian.stop(), graph.stop()]);
    },
  };
}
