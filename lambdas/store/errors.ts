/** DynamoDB's "the condition did not hold": adapters translate it into a domain error (domain/errors.ts) where it is caught. */
export const isConditionalFailure = (err: unknown): boolean =>
  (err as Error)?.name === 'ConditionalCheckFailedException';
