/** Errors of the store. DynamoDB's own exceptions are translated here, at the boundary (STYLE.md). */
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

export const isConditionalFailure = (err: unknown): boolean =>
  (err as Error)?.name === 'ConditionalCheckFailedException';
