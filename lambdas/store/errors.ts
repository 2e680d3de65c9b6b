export {
  StoreError,
  StateConflictError,
  LockHeldError,
  TokenSpentError,
  AuditConflictError,
} from '../domain/errors.js';

/** DynamoDB's "the condition did not hold": adapters translate it into a domain error right where it is caught. */
export const isConditionalFailure = (err: unknown): boolean =>
  (err as Error)?.name === 'ConditionalCheckFailedException';
