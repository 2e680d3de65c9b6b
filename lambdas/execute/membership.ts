/**
 * Entra membership for the re-check, read at most once per `maxAgeMs` per directory: a chunk of 250
 * items should not cost a full group read each time, and a membership minutes old is as fresh as
 * the approval it re-checks. Held per EntraDirectory instance (one per warm Lambda container).
 */
import type { EntraDirectory, EntraMembership } from '../entra/index.js';

const cache = new WeakMap<EntraDirectory, { at: number; membership: Promise<EntraMembership> }>();

export function membershipFor(entra: EntraDirectory, nowMs: number, maxAgeMs: number): Promise<EntraMembership> {
  const hit = cache.get(entra);
  if (hit && nowMs - hit.at < maxAgeMs) return hit.membership;
  const membership = entra.readMembership();
  cache.set(entra, { at: nowMs, membership });
  membership.catch(() => cache.delete(entra));
  return membership;
}
