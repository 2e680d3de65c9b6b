/** Doctor checks of the AWS side: the three tables (DynamoDB or DynamoDB Local) and the SES sender. */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetAccountCommand, GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import type { Config } from '../lambdas/config/index.js';
import { dynamoClientFor, sesClientFor, type RuntimeEnv } from '../lambdas/wiring/index.js';
import { fail, ok, reasonOf, type CheckResult } from './doctor-checks.js';

const TABLE_VARS = {
  state: 'LIFECYCLE_TABLE_STATE',
  audit: 'LIFECYCLE_TABLE_AUDIT',
  seats: 'LIFECYCLE_TABLE_SEATS',
} as const;

export async function tableChecks(env: RuntimeEnv): Promise<CheckResult[]> {
  const db = dynamoClientFor(env);
  const where = env.dynamoEndpoint ? `DynamoDB at ${env.dynamoEndpoint}` : `DynamoDB in ${env.region}`;
  try {
    const out: CheckResult[] = [];
    for (const [key, variable] of Object.entries(TABLE_VARS) as [keyof typeof TABLE_VARS, string][]) {
      const name = env.tables[key];
      const check = `table ${key}`;
      try {
        const { Table } = await db.send(new DescribeTableCommand({ TableName: name }));
        out.push(ok(check, `${name} in ${where}: ${Table?.TableStatus ?? '?'}`));
      } catch (err) {
        const e = err as { name?: string };
        if (e.name === 'ResourceNotFoundException')
          out.push(
            fail(
              check,
              `no table ${name} in ${where}`,
              `set ${variable} to the stack's table name (or LIFECYCLE_TABLE_PREFIX); locally, \`lifecycle local up\` creates the tables and prints the variables`,
            ),
          );
        else
          out.push(
            fail(
              check,
              `${where} cannot be reached for ${name}: ${reasonOf(err)}`,
              env.dynamoEndpoint
                ? 'start the local stack with `lifecycle local up` and export the LIFECYCLE_DYNAMODB_ENDPOINT it prints'
                : "give this shell AWS credentials for the stack's account (AWS_PROFILE, AWS_REGION), or for the local stack run `lifecycle local up` and export what it prints",
            ),
          );
      }
    }
    return out;
  } finally {
    db.destroy();
  }
}

export async function sesCheck(config: Config, env: RuntimeEnv): Promise<CheckResult> {
  const check = 'SES sender';
  const from = config.approval.from;
  const ses = sesClientFor(env);
  try {
    const account = await ses.send(new GetAccountCommand({}));
    if (account.SendingEnabled === false)
      return fail(
        check,
        `sending is disabled for this SES account (${env.region})`,
        'enable sending in the SES console (Account dashboard)',
      );
    const sandbox =
      account.ProductionAccessEnabled === false ? '; SES sandbox: only verified recipients receive mail' : '';
    try {
      const id = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: from }));
      if (!id.VerifiedForSendingStatus)
        return fail(check, `${from} is not verified for sending`, `verify ${from} (or its domain) in SES > Identities`);
      return ok(check, `${from} verified${sandbox}`);
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'NotFoundException') {
        const domain = from.split('@')[1]!;
        const d = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: domain })).catch(() => undefined);
        if (d?.VerifiedForSendingStatus) return ok(check, `${from}: domain ${domain} verified${sandbox}`);
        return fail(
          check,
          `neither ${from} nor ${domain} is an SES identity in ${env.region}`,
          `verify ${domain} (or ${from}) in SES > Identities`,
        );
      }
      // The SES v2 emulator serves sending and GetAccount only: every sender is accepted there.
      if (env.sesEndpoint) return ok(check, `${from}: SES emulator at ${env.sesEndpoint} accepts every sender`);
      throw err;
    }
  } catch (err) {
    return fail(
      check,
      `SES ${env.sesEndpoint ? `at ${env.sesEndpoint}` : `in ${env.region}`} cannot be used: ${reasonOf(err)}`,
      env.sesEndpoint
        ? 'start the local stack with `lifecycle local up` and export the LIFECYCLE_SES_ENDPOINT it prints'
        : 'give this shell AWS credentials allowed ses:GetAccount and ses:GetEmailIdentity',
    );
  } finally {
    ses.destroy();
  }
}
