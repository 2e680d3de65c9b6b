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
} as const;
export type ItemState = (typeof ItemState)[keyof typeof ItemState];

const NEXT: Readonly<Record<ItemState, readonly ItemState[]>> = {
  PROPOSED: ['APPROVED', 'REJECTED', 'EXPIRED'],
  APPROVED: ['IN_FLIGHT', 'SKIPPED'],
  REJECTED: [],
  EXPIRED: [],
  IN_FLIGHT: ['DONE', 'FAILED', 'SKIPPED'],
  DONE: [],
  FAILED: [],
  SKIPPED: [],
};

/** The states an item may be in just before moving to `to`. */
export function predecessorsOf(to: ItemState): ItemState[] {
  return (Object.keys(NEXT) as ItemState[]).filter((from) => NEXT[from].includes(to));
}
