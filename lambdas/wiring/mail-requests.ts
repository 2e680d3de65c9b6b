/**
 * The review site's mail on AWS. The public review function holds no SES right: its MailRequests
 * port invokes the mailer function asynchronously with ids only, and its Mailer refuses, so nothing
 * the site runs can send mail or see a review link. The mailer function (handlers/mailer.ts) mints
 * the links and sends.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { parseMailRequest, type MailRequest, type MailRequests } from '../approval/index.js';
import type { Mailer } from '../domain/ports.js';
import type { RuntimeEnv } from './env.js';

/** Invokes the mailer function with the request (an `Event` invocation: Lambda queues and retries it). */
export class LambdaMailRequests implements MailRequests {
  constructor(
    private readonly lambda: Pick<LambdaClient, 'send'>,
    private readonly functionName: string,
  ) {}

  async request(req: MailRequest): Promise<void> {
    // Validated before it leaves: a known kind and its id fields, nothing else.
    const payload = JSON.stringify(parseMailRequest(req));
    const out = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(payload),
      }),
    );
    if (out.StatusCode !== 202)
      throw new Error(
        `the mailer function ${this.functionName} did not queue the ${req.kind} request (status ${out.StatusCode}).`,
      );
  }
}

/** The site's Mailer on AWS: every send is refused (the mailer function sends). */
export const refusingMailer: Mailer = {
  send: () =>
    Promise.reject(
      new Error(
        'the review site sends no mail: hand a mail request to the mailer function (LIFECYCLE_MAILER_FUNCTION).',
      ),
    ),
};

/**
 * The mailer function this environment names (`LIFECYCLE_MAILER_FUNCTION`), or undefined: fulfil in
 * process. The SDK's own AWS_ENDPOINT_URL_LAMBDA overrides the endpoint (the handler test's loopback).
 */
export function mailRequestsFor(w: { env: RuntimeEnv; lambda?: Pick<LambdaClient, 'send'> }): MailRequests | undefined {
  const name = w.env.mailerFunction;
  return name ? new LambdaMailRequests(w.lambda ?? new LambdaClient({ region: w.env.region }), name) : undefined;
}
