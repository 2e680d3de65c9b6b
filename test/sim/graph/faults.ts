/** Runtime-switchable faults: rules matched in order against each request (direct or inside a $batch). */
import type { Fault, FaultRule, RouteName } from './types.js';

const IDENTITY_ROUTES: readonly RouteName[] = ['openid', 'token'];
/** Faults that need a connection of their own: never applied inside a $batch. */
const DIRECT_ONLY = new Set<Fault['kind']>(['reset', 'slow', 'malformed']);

interface LiveRule {
  readonly rule: FaultRule;
  skipLeft: number;
  timesLeft: number;
}

export class FaultPlan {
  private rules: LiveRule[] = [];
  private injectedCount = 0;

  constructor(initial: readonly FaultRule[] = []) {
    for (const r of initial) this.add(r);
  }

  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    if (rule.fault.kind === 'slow' && !(rule.fault.delayMs >= 0))
      throw new Error(`graph sim: slow fault needs delayMs >= 0, got ${rule.fault.delayMs}`);
    const live: LiveRule = { rule, skipLeft: rule.skip ?? 0, timesLeft: rule.times ?? Infinity };
    this.rules.push(live);
    return () => {
      this.rules = this.rules.filter((r) => r !== live);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** Faults injected so far. */
  get injected(): number {
    return this.injectedCount;
  }

  /** The fault for this request, if any (and one use of its rule spent). */
  take(route: RouteName, where: 'direct' | 'inner'): Fault | undefined {
    for (const live of this.rules) {
      const { rule } = live;
      if (live.timesLeft <= 0) continue;
      const routes = rule.routes ?? [];
      if (routes.length > 0 ? !routes.includes(route) : IDENTITY_ROUTES.includes(route)) continue;
      const scope = rule.where ?? 'any';
      if (scope !== 'any' && scope !== where) continue;
      if (where === 'inner' && DIRECT_ONLY.has(rule.fault.kind)) continue;
      if (live.skipLeft > 0) {
        live.skipLeft--;
        continue;
      }
      live.timesLeft--;
      this.injectedCount++;
      return rule.fault;
    }
    return undefined;
  }
}
