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
import { powertoolsLogger, traced } from '../wiring/powertools.js';

let deps: ApprovalDeps | undefined;
const logger = powertoolsLogger();

/** Built on first use, once per container: the review links point at LIFECYCLE_REVIEW_BASE_URL (the stack's Function URL). */
function mailerDeps(): ApprovalDeps {
  if (deps) return deps;
  const env = runtimeEnv();
  const clients = awsClients(env, { wrap: traced });
  deps = approvalDeps({
    logger,
    config: withReviewBaseUrl(loadConfigFromEnv(), env),
    db: clients.db,
    ses: clients.ses,
    tables: env.tables,
  });
  return deps;
}

export async function handler(event: unknown): Promise<MailRequestOutcome> {
  const request = parseMailRequest(event);
  logger.keep({ proposalId: request.proposalId });
  return fulfilMailRequest(mailerDeps(), request);
}
