/** Builds and starts the simulator: state, limiter, faults, tasks, logs and the HTTP server. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rng, type Person } from '../org/index.js';
import type { SimCore } from './context.js';
import { accountState } from './control.js';
import { FaultState } from './faults.js';
import { SimLog } from './log.js';
import { RateLimiter } from './rate-limit.js';
import { requestListener } from './server.js';
import { OrgState } from './state.js';
import { TaskQueue } from './tasks.js';
import type {
  AtlassianSimOptions,
  EndpointClass,
  FaultConfig,
  MutationRecord,
  RequestRecord,
  SimAccountState,
  SimCounters,
} from './types.js';

export interface AtlassianSim {
  /** Base URL standing for https://api.atlassian.com (`http://127.0.0.1:<port>`), no trailing slash. */
  readonly url: string;
  /** The live organization (a clone of `options.org`), mutated by the API calls. */
  readonly org: AtlassianSimOptions['org'];
  person(accountId: string): Person | undefined;
  setFaults(cls: EndpointClass, f: FaultConfig | undefined): void;
  mutations(): readonly MutationRecord[];
  requests(): readonly RequestRecord[];
  counters(): SimCounters;
  resetCounters(): void;
  /** Empties the mutation and request logs and zeroes the counters (as `POST /__sim/reset-log`). */
  resetLog(): void;
  /** The simulator's truth about one account (as `GET /__sim/state/{accountId}`). */
  state(accountId: string): SimAccountState | undefined;
  stop(): Promise<void>;
}

export async function startAtlassianSim(options: AtlassianSimOptions): Promise<AtlassianSim> {
  if (!options.apiKey) throw new Error('startAtlassianSim: apiKey must be a non-empty string');
  const taskDelayMs = options.taskDelayMs ?? 200;
  if (!(taskDelayMs >= 0)) throw new Error(`startAtlassianSim: taskDelayMs must be >= 0, got ${taskDelayMs}`);
  const org = structuredClone(options.org);
  const clock = options.clock ?? Date.now;
  const seed = options.seed ?? org.seed;
  const state = new OrgState(org);
  const limiter = new RateLimiter(options.rateLimits, options.retryAfterHeader ?? false);
  const faults = new FaultState(seed, options.faults);
  const log = new SimLog(limiter);
  const ids = new Rng((seed ^ 0x7a5c) >>> 0);
  let url = '';
  const core: SimCore = {
    org,
    state,
    faults,
    tasks: new TaskQueue(state, taskDelayMs, (m) => log.mutation(m)),
    url: () => url,
    now: clock,
    v1NextLink: options.v1NextLink ?? 'url',
    lifecycleConflictOnNoop: options.lifecycleConflictOnNoop ?? false,
    newId: () => ids.uuid(),
    recordMutation: (m) => log.mutation(m),
  };
  const server = createServer(requestListener({ core, apiKey: options.apiKey, limiter, faults, log }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    org,
    person: (accountId) => {
      core.tasks.settle(clock());
      return state.person(accountId);
    },
    setFaults: (cls, f) => faults.set(cls, f),
    mutations: () => {
      core.tasks.settle(clock());
      return log.mutations();
    },
    requests: () => log.requests(),
    counters: () => log.counters(),
    resetCounters: () => log.resetCounters(),
    resetLog: () => log.resetLog(),
    state: (accountId) => {
      core.tasks.settle(clock());
      return accountState(core, accountId);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
