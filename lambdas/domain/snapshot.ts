/** Guard seat counts at one moment (one per plan run). */
export interface SeatSnapshot {
  readonly orgId: string;
  readonly takenAt: string;
  readonly runId: string;
  readonly managed: number;
  readonly active: number;
  /** Billed for Atlassian Guard. */
  readonly billable: number;
  /** Accounts per authentication policy id ("unknown" when not fetched). */
  readonly perPolicy: Readonly<Record<string, number>>;
  /** Active accounts with access per product key. */
  readonly perProduct: Readonly<Record<string, number>>;
}
