/**
 * Fault injection per endpoint class, switchable at runtime. Every random choice comes from one
 * seeded Rng per class, so a run with the same seed and request order fails the same way.
 */
import { Rng } from '../org/index.js';
import {
  ADMIN_ROLES_VIEWS,
  ENDPOINT_CLASSES,
  type AdminRolesView,
  type EndpointClass,
  type FaultConfig,
  type MalformedKind,
} from './types.js';

export type FaultAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'status'; readonly status: 500 | 502 | 503 };

interface ClassFaults {
  config: FaultConfig | undefined;
  stormLeft: number;
  /** How often each listed malformed page was served broken. */
  servedBroken: Map<string, number>;
  readonly rng: Rng;
}

function checkRate(name: string, v: number | undefined): void {
  if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`${name} must be within 0..1, got ${v}`);
}

export class FaultState {
  private readonly classes = new Map<EndpointClass, ClassFaults>();

  constructor(seed: number, initial: Partial<Record<EndpointClass, FaultConfig>> | undefined) {
    ENDPOINT_CLASSES.forEach((cls, i) => {
      this.classes.set(cls, {
        config: undefined,
        stormLeft: 0,
        servedBroken: new Map(),
        rng: new Rng((seed ^ (0x5eed0000 + i * 7919)) >>> 0),
      });
    });
    for (const [cls, f] of Object.entries(initial ?? {})) this.set(cls as EndpointClass, f);
  }

  private of(cls: EndpointClass): ClassFaults {
    return this.classes.get(cls)!;
  }

  set(cls: EndpointClass, f: FaultConfig | undefined): void {
    if (!ENDPOINT_CLASSES.includes(cls))
      throw new Error(`unknown endpoint class ${JSON.stringify(cls)}; use one of ${ENDPOINT_CLASSES.join(', ')}`);
    checkRate(`faults.${cls}.status5xxRate`, f?.status5xxRate);
    checkRate(`faults.${cls}.resetRate`, f?.resetRate);
    checkRate(`faults.${cls}.malformedPages.rate`, f?.malformedPages?.rate);
    checkRate(`faults.${cls}.taskFailures.rate`, f?.taskFailures?.rate);
    const view = f?.adminRolesInListing;
    if (view !== undefined && !ADMIN_ROLES_VIEWS.includes(view))
      throw new Error(`faults.${cls}.adminRolesInListing must be one of ${ADMIN_ROLES_VIEWS.join(', ')}, got ${view}`);
    const c = this.of(cls);
    c.config = f;
    c.stormLeft = f?.storm429 ?? 0;
    c.servedBroken = new Map();
  }

  /** True (and one storm request spent) when this request must be a storm 429. */
  takeStorm(cls: EndpointClass): boolean {
    const c = this.of(cls);
    if (c.stormLeft <= 0) return false;
    c.stormLeft--;
    return true;
  }

  /** Reset or 5xx for this request, drawn after rate limiting. */
  draw(cls: EndpointClass): FaultAction {
    const c = this.of(cls);
    const f = c.config;
    if (f?.resetRate && c.rng.chance(f.resetRate)) return { kind: 'reset' };
    if (f?.status5xxRate && c.rng.chance(f.status5xxRate))
      return { kind: 'status', status: c.rng.pick([500, 502, 503] as const) };
    return { kind: 'none' };
  }

  delayMs(cls: EndpointClass): number {
    return this.of(cls).config?.delayMs ?? 0;
  }

  /** Whether page `page` of `listing` is served broken this time, and how. */
  malformed(cls: EndpointClass, listing: string, page: number): MalformedKind | undefined {
    const c = this.of(cls);
    const m = c.config?.malformedPages;
    if (!m) return undefined;
    if (m.pages?.includes(page)) {
      const key = `${listing}#${page}`;
      const served = c.servedBroken.get(key) ?? 0;
      if (served < (m.times ?? Infinity)) {
        c.servedBroken.set(key, served + 1);
        return m.kind;
      }
    }
    return m.rate && c.rng.chance(m.rate) ? m.kind : undefined;
  }

  /** How the v2 listing shows org admins' roles (`users-read` faults); undefined: as held. */
  adminRolesView(): AdminRolesView | undefined {
    return this.of('users-read').config?.adminRolesInListing;
  }

  /** add-users: does this (known) user fail in the task? */
  taskFails(email: string): boolean {
    const c = this.of('policy');
    const t = c.config?.taskFailures;
    if (!t) return false;
    if (t.emails?.some((e) => e.toLowerCase() === email.toLowerCase())) return true;
    return !!t.rate && c.rng.chance(t.rate);
  }
}
