import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** ses:SendEmail from the configured sender's identity only (the address and its domain). */
export function grantSendEmail(grantee: iam.IGrantable, from: string): void {
  const stack = Stack.of(grantee as unknown as Construct);
  const domain = from.split('@')[1]!;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [from, domain].map((identity) =>
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
      ),
    }),
  );
}

/** lambda:InvokeFunction on the mailer, by its name (no reference, so no dependency cycle). */
export function grantInvokeMailer(grantee: iam.IGrantable, functionName: string): void {
  const stack = Stack.of(grantee as unknown as Construct);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: [
        stack.formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: functionName,
          arnFormat: 'arn:aws:service:region:account:resource:resourceName' as never,
        }),
      ],
    }),
  );
}
