/** The closed set of action kinds the product can propose (DESIGN.md, "Actions"). */
export const ActionKind = {
  DEACTIVATE: 'DEACTIVATE',
  MOVE_TO_NONBILLABLE: 'MOVE_TO_NONBILLABLE',
  MOVE_TO_BILLABLE: 'MOVE_TO_BILLABLE',
  /** Undo of a DEACTIVATE: enable (or restore, in suspend mode). Only ever proposed by an undo. */
  REACTIVATE: 'REACTIVATE',
} as const;
export type ActionKind = (typeof ActionKind)[keyof typeof ActionKind];
export const ACTION_KINDS = Object.values(ActionKind) as [ActionKind, ...ActionKind[]];
