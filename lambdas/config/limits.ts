/**
 * Ranges of the configuration's numbers. The caps' maxima are hard ceilings: the blast-radius rule
 * is "not configurable away" (DESIGN.md, README "Safety rules"), so no configuration may raise a cap
 * until it stops catching anything (maxPercentOfOrg 100 or maxActionsPerRun 1e12 would). A larger
 * clean-up is still possible: it is flagged suspicious and needs the explicit override.
 */
export const LIMITS = {
  /** A proposal of more actions than this always needs the override. */
  maxActionsPerRun: { min: 1, max: 10_000 },
  /** A proposal acting on more than this share of the org always needs the override. */
  maxPercentOfOrg: { min: 0, max: 75 },
  /** The floor may not lift the percentage cap past a small org's size by much. */
  minActionsFloor: { min: 0, max: 100 },
  /** Three years: a larger value (1e9) would silently turn staleness off. */
  staleAfterDays: { min: 1, max: 1095 },
  newAccountGraceDays: { min: 0, max: 365 },
  quorum: { min: 1, max: 10 },
} as const;
