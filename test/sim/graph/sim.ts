/** Builds and starts the Graph simulator: certificate, tenant model, identity endpoints, HTTPS server. */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { loopbackCertificate } from './cert.js';
import { DEFAULT_TENANT_DOMAINS, type SimDomain } from './domains.js';
import { FaultPlan } from './faults.js';
import { IdentityEndpoints } from './identity.js';
import { TenantModel } from './model.js';
import type { GraphState } from './routes.js';
import { CounterLog, requestListener, type Pipeline } from './server.js';
import { SIM_PERMISSIONS, type GraphSimCounters, type GraphSimOptions, type SimPermission } from './types.js';

/** Same ids as config/example.local.json, so the local demo and the simulator agree. */
export const GRAPH_SIM_DEFAULTS = {
  tenantId: '11111111-2222-3333-4444-555555555555',
  clientId: '66666666-7777-8888-9999-000000000000',
  clientSecret: 'graph-sim-client-secret-value',
} as const;

export interface GraphSim {
  /** `https://127.0.0.1:<port>`: both the authority host and the Graph base URL. */
  readonly url: string;
  /** The host to list in the Graph client's `customHosts`. */
  readonly host: string;
  /** The simulator's certificate (PEM): trust it as an extra CA. */
  readonly ca: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The live tenant: change users and groups at runtime. */
  readonly model: TenantModel;
  /** Fault rules, switchable at runtime. */
  readonly faults: FaultPlan;
  /** Granted application permissions: delete one to get Graph's 403. */
  readonly permissions: Set<SimPermission>;
  /** The tenant's domains (`GET /domains`): change them at runtime. */
  readonly domains: SimDomain[];
  /** Whether the tenant has Entra ID P1 (signInActivity). */
  setPremium(premium: boolean): void;
  /** Invalidates every token issued so far (the next Graph call gets 401). */
  revokeTokens(): void;
  counters(): GraphSimCounters;
  resetCounters(): void;
  stop(): Promise<void>;
}

/** Everything but the socket: what startGraphSim serves, and what unit tests drive in memory. */
export interface GraphSimCore {
  readonly pipeline: Pipeline;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly model: TenantModel;
  readonly faults: FaultPlan;
  readonly permissions: Set<SimPermission>;
  readonly domains: SimDomain[];
  readonly identity: IdentityEndpoints;
  setPremium(premium: boolean): void;
  counters(): GraphSimCounters;
}

/** Builds the simulator's state and pipeline; `url()` is the base URL it stands at. */
export function createGraphSimCore(options: GraphSimOptions, url: () => string): GraphSimCore {
  const tenantId = options.tenantId ?? GRAPH_SIM_DEFAULTS.tenantId;
  const clientId = options.clientId ?? GRAPH_SIM_DEFAULTS.clientId;
  const clientSecret = options.clientSecret ?? GRAPH_SIM_DEFAULTS.clientSecret;
  const model = TenantModel.fromOrg(options.org);
  const permissions = new Set<SimPermission>(options.permissions ?? SIM_PERMISSIONS);
  const graph: GraphState = {
    model,
    domains: (options.domains ?? DEFAULT_TENANT_DOMAINS).map((d) => ({ ...d })),
    permissions,
    premium: options.premium ?? true,
    versionRoot: () => `${url()}/v1.0`,
  };
  const identity = new IdentityEndpoints({
    tenantId,
    clientId,
    clientSecret,
    echoSecretInErrors: options.echoSecretInErrors ?? false,
    url,
  });
  const faults = new FaultPlan(options.faults);
  const counters = new CounterLog();
  return {
    pipeline: { graph, identity, faults, counters },
    tenantId,
    clientId,
    clientSecret,
    model,
    faults,
    permissions,
    domains: graph.domains,
    identity,
    setPremium: (premium) => {
      graph.premium = premium;
    },
    counters: () => counters.snapshot(faults.injected, identity.issued),
  };
}

export async function startGraphSim(options: GraphSimOptions): Promise<GraphSim> {
  const { key, cert } = await loopbackCertificate();
  let url = '';
  const core = createGraphSimCore(options, () => url);
  const { tenantId, clientId, clientSecret, model, faults, permissions, identity } = core;
  const server = createServer({ key, cert }, requestListener(core.pipeline));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    host: '127.0.0.1',
    ca: cert,
    tenantId,
    clientId,
    clientSecret,
    model,
    faults,
    permissions,
    domains: core.domains,
    setPremium: core.setPremium,
    revokeTokens: () => identity.revokeAll(),
    counters: core.counters,
    resetCounters: () => core.pipeline.counters.reset(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
