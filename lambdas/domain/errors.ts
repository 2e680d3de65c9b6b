import type { SpentReason } from './ballot.js';

/**
 * Errors the ports raise. Adapters translate their vendor's exceptions into these at the boundary
 * (a DynamoDB ConditionalCheckFailedException becomes a StateConflictError), so the core can react
 * to them without knowing which database is behind the port (STYLE.md).
 */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** A conditional state change found the record in another state (someone else moved it first). */
export class StateConflictError extends StoreError {
  override readonly name = 'StateConflictError';
  constructor(
    message: string,
    readonly key: string,
    readonly expected: readonly string[],
    readonly actual: string | undefined,
  ) {
    super(message);
  }
}

/** Another run holds the lock. */
export class LockHeldError extends StoreError {
  override readonly name = 'LockHeldError';
  constructor(
    message: string,
    readonly lock: string,
    readonly holder: string | undefined,
    readonly until: number | undefined,
  ) {
    super(message);
  }
}

/** The link cannot cast a ballot: unknown, used, expired, or its approver already decided. */
export class TokenSpentError extends StoreError {
  override readonly name = 'TokenSpentError';
  constructor(
    message: string,
    readonly reason: SpentReason,
  ) {
    super(message);
  }
}

/** The Mailer port: the mail service refused or failed to send a message. */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    message: string,
    /** Recipients the message did not reach. */
    readonly recipients: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A stream owned by one writer was written by another one (the chain may show a fork). */
export class AuditConflictError extends StoreError {
  override readonly name = 'AuditConflictError';
}
