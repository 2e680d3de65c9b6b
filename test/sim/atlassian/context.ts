/** What a route handler gets and returns. */
import type { SyntheticOrg } from '../org/index.js';
import type { FaultState } from './faults.js';
import type { OrgState } from './state.js';
import type { TaskQueue } from './tasks.js';
import type { MutationRecord } from './types.js';

/** The simulator's shared parts, as handlers see them. */
export interface SimCore {
  readonly org: SyntheticOrg;
  readonly state: OrgState;
  readonly tasks: TaskQueue;
  readonly faults: FaultState;
  /** Base URL (`http://127.0.0.1:<port>`), the simulator's https://api.atlassian.com. */
  readonly url: () => string;
  readonly now: () => number;
  readonly v1NextLink: 'url' | 'cursor';
  readonly lifecycleConflictOnNoop: boolean;
  readonly newId: () => string;
  readonly recordMutation: (m: Omit<MutationRecord, 'at'>) => void;
}

export interface RequestContext {
  readonly core: SimCore;
  readonly method: string;
  /** Path without query, as received. */
  readonly pathname: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The body as text ('' when none). */
  readonly rawBody: string;
  /** The body parsed as JSON; undefined when empty. Throws a 400 SimHttpError when it is not JSON. */
  readonly json: () => unknown;
}

export interface SimResponse {
  readonly status: number;
  readonly body?: unknown;
  /** Listings: the 1-based page number served (drives `malformedPages`). */
  readonly page?: number;
}

export type Handler = (ctx: RequestContext) => SimResponse;
