/**
 * The mailer function: sends the mail the review site asks for (approval/mail-requests.ts). The
 * site invokes it asynchronously with ids only; this function reads the stores, mints the review
 * links of an undo proposal itself and sends from the configured identity. A failed send throws, so
 * Lambda retries the invocation and, after the retries, hands it to the on-failure destination.
 */
import { fulfilMailRequest, parseMailRequest, type MailRequestOutcome } from '../approval/index.js';
import type { ApprovalDeps } from '../approval/index.js';
import { loadConfigFromEnv } from '../config/index.js';
import { approvalDeps, awsClients, runtimeEnv, withReviewBaseUrl } from '../wiring/index.js';

let deps: ApprovalDeps | undefined;

/** Built on first use, once per container: the review links point at LIFECYCLE_REVIEW_BASE_URL (the stack's Function URL). */
function mailerDeps(): ApprovalDeps {
  if (deps) return deps;
  const env = runtimeEnv();
  const clients = awsClients(env);
  deps = approvalDeps({
    config: withReviewBaseUrl(loadConfigFromEnv(), env),
    db: clients.db,
    ses: clients.ses,
    tables: env.tables,
  });
  return deps;
}

export async function handler(event: unknown): Promise<MailRequestOutcome> {
  return fulfilMailRequest(mailerDeps(), parseMailRequest(event));
}
