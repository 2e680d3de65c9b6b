/**
 * The operator's AWS identity for the commands that record a decision (approve, reject, undo
 * --operator): against AWS, STS GetCallerIdentity is asked once, before anything is written, and
 * its answer is recorded beside the email given with --operator. When AWS cannot say who is
 * calling, the command stops there. Locally (LIFECYCLE_DYNAMODB_ENDPOINT set) nothing is asked.
 */
import type { AuditEntry, AuditLog } from '../../lambdas/domain/index.js';
import type { AwsCaller } from '../../lambdas/domain/ballot.js';
import type { RuntimeEnv } from '../../lambdas/wiring/index.js';
import { CliError } from './common.js';

const FIX =
  'Renew the AWS credentials of this shell (`aws sso login`, a fresh AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or AWS_PROFILE) and run the command again; for a local database set LIFECYCLE_DYNAMODB_ENDPOINT.';

/** The caller against AWS, undefined locally; a CliError (exit 1) when STS cannot say who it is. */
export async function identifyOperator(env: RuntimeEnv): Promise<AwsCaller | undefined> {
  const { awsCallerOf, AwsCallerError } = await import('../../lambdas/wiring/aws-caller.js');
  try {
    return await awsCallerOf(env);
  } catch (err) {
    if (!(err instanceof AwsCallerError)) throw err;
    throw new CliError(
      `cannot tell who runs this command on AWS: ${err.message.replace(/\.?$/, '.')} A decision records the caller's AWS identity, so nothing was written. ${FIX}`,
    );
  }
}

/**
 * The audit log with the caller added to the details of every record `actor` writes through it
 * (the undo path: `approveAsOperator` writes the operator's approval records).
 */
export function stampAwsCaller(
  log: Pick<AuditLog, 'append'>,
  actor: string,
  caller?: AwsCaller,
): Pick<AuditLog, 'append'> {
  if (!caller) return log;
  const stamp = (entries: readonly AuditEntry[]) =>
    entries.map((e) => (e.actor === actor ? { ...e, details: { ...e.details, awsCaller: caller } } : e));
  return { append: (stream, entries) => log.append(stream, stamp(entries)) };
}
