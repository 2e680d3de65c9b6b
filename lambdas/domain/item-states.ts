/**
 * The life of a proposed item. States only move forward, by conditional writes, so a retried or
 * resumed run never acts twice (DESIGN.md, "execute").
 */
export const ItemState = {
  PROPOSED: 'PROPOSED',
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  IN_FLIGHT: 'IN_FLIGHT',
  DONE: 'DONE',
  FAILED: 'FAILED',
  SKIPPED: 'SKIPPED',
  /** Synced from the identity provider by SCIM: handed to the Entra admin, never an API call. */
  HANDED_OFF: 'HANDED_OFF',
} as const;
export type ItemState = (typeof ItemState)[keyof typeof ItemState];

const NEXT: Readonly<Record<ItemState, readonly ItemState[]>> = {
  PROPOSED: ['APPROVED', 'REJECTED', 'EXPIRED'],
  APPROVED: ['IN_FLIGHT', 'SKIPPED', 'HANDED_OFF'],
  REJECTED: [],
  EXPIRED: [],
  IN_FLIGHT: ['DONE', 'FAILED', 'SKIPPED', 'HANDED_OFF'],
  DONE: [],
  FAILED: [],
  SKIPPED: [],
  HANDED_OFF: [],
};

/** The states an item may be in just before moving to `to`. */
export function predecessorsOf(to: ItemState): ItemState[] {
  return (Object.keys(NEXT) as ItemState[]).filter((from) => NEXT[from].includes(to));
}
