/**
 * Typed client of the simulator's test-only control endpoints (control.ts), over plain fetch, so a
 * test or a separate process (a supervisor that kills and restarts `lifecycle execute`) can read
 * the mutation log, reset it, and read an account's true state.
 */
import type { MutationKind, MutationOutcome, MutationRecord, SimAccountState, SimCounters } from './types.js';

export interface MutationFilter {
  readonly accountId?: string;
  readonly kind?: MutationKind;
  readonly outcome?: MutationOutcome;
}

export interface SimControlCounts {
  readonly requests: SimCounters;
  readonly mutations: {
    readonly total: number;
    readonly byKind: Readonly<Partial<Record<MutationKind, number>>>;
    readonly byOutcome: Readonly<Partial<Record<MutationOutcome, number>>>;
  };
}

export class SimControlError extends Error {
  override readonly name = 'SimControlError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface SimControlClientOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

export class SimControlClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  /** `baseUrl`: the simulator's URL (`AtlassianSim.url`, e.g. `http://127.0.0.1:4010`). */
  constructor(baseUrl: string, options: SimControlClientOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  private async request(method: 'GET' | 'POST', path: string): Promise<{ status: number; body: unknown }> {
    const res = await this.fetch(`${this.base}/__sim/${path}`, { method });
    const text = await res.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    if (res.status >= 400 && res.status !== 404)
      throw new SimControlError(`${method} /__sim/${path}: ${res.status} ${text.slice(0, 200)}`, res.status);
    return { status: res.status, body };
  }

  private async ok<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const { status, body } = await this.request(method, path);
    if (status === 404)
      throw new SimControlError(
        `${method} /__sim/${path}: 404; is ${this.base} an Atlassian simulator with control endpoints?`,
        404,
      );
    return body as T;
  }

  /** The mutation log, in the order the changes took effect, optionally filtered. */
  mutations(filter: MutationFilter = {}): Promise<MutationRecord[]> {
    const q = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ).toString();
    return this.ok('GET', `mutations${q ? `?${q}` : ''}`);
  }

  /** Empties the mutation and request logs and zeroes the counters; the org's state is kept. */
  async resetLog(): Promise<void> {
    await this.ok('POST', 'reset-log');
  }

  /** The simulator's truth for one account; undefined when it has no such account. */
  async state(accountId: string): Promise<SimAccountState | undefined> {
    const { status, body } = await this.request('GET', `state/${encodeURIComponent(accountId)}`);
    return status === 404 ? undefined : (body as SimAccountState);
  }

  /** Request counters and mutation totals. */
  counts(): Promise<SimControlCounts> {
    return this.ok('GET', 'counts');
  }

  /** How many changes were `applied` to each account (of one kind, or all): "exactly once" checks. */
  async appliedByAccount(kind?: MutationKind): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const m of await this.mutations({ outcome: 'applied', ...(kind && { kind }) }))
      if (m.accountId) out.set(m.accountId, (out.get(m.accountId) ?? 0) + 1);
    return out;
  }
}
