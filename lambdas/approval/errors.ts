/** Errors of the approval step. Refusing a link is not an error (it is a page and an audit record). */
export class ApprovalError extends Error {
  override readonly name: string = 'ApprovalError';
}

/** The approval step is not configured well enough to run (for example no review URL). */
export class ApprovalSetupError extends ApprovalError {
  override readonly name = 'ApprovalSetupError';
}

/** The proposal cannot be sent for approval in its present state. */
export class ProposalNotSendableError extends ApprovalError {
  override readonly name = 'ProposalNotSendableError';
  constructor(
    message: string,
    readonly proposalId: string,
    readonly status: string | undefined,
  ) {
    super(message);
  }
}
