/**
 * Mail the public review site asks for, and its fulfilment. The site holds no right to send mail
 * (issue 14, finding 9): it hands a request that carries only ids to the MailRequests port. On AWS
 * the port invokes the mailer function, which reads the stores, mints the review links itself and
 * sends, so a raw review link never passes through the site, a table or a log; locally (CLI, demo,
 * tests) the same request is fulfilled in process by `fulfilMailRequest`.
 */
import { renderKeptEmail } from './mail/kept-email.js';
import { ApprovalError } from './errors.js';
import { isKept } from './keep.js';
import type { ApprovalDeps } from './ports.js';
import { sendProposal } from './send-proposal.js';

/** The closed set of mail the site may ask for. */
export const MailRequestKind = {
  /** Send a READY undo proposal (built by an "ask to undo" link) to the approvers, with fresh review links. */
  UNDO_PROPOSAL: 'undo-proposal',
  /** Tell the approvers that a person kept their account with the warning mail's link. */
  KEEP_NOTICE: 'keep-notice',
} as const;

export type MailRequest =
  | { readonly kind: typeof MailRequestKind.UNDO_PROPOSAL; readonly proposalId: string }
  | { readonly kind: typeof MailRequestKind.KEEP_NOTICE; readonly proposalId: string; readonly accountId: string };

/** A request the mailer refuses: malformed, or naming something it must not mail about. */
export class MailRequestError extends ApprovalError {
  override readonly name = 'MailRequestError';
}

const ID = /^[\w:.#@+-]{1,512}$/;
const FIELDS: Record<MailRequest['kind'], readonly string[]> = {
  [MailRequestKind.UNDO_PROPOSAL]: ['kind', 'proposalId'],
  [MailRequestKind.KEEP_NOTICE]: ['kind', 'proposalId', 'accountId'],
};

/** Validates an incoming request: a known kind and exactly its id fields, nothing else (no link, no token). */
export function parseMailRequest(value: unknown): MailRequest {
  const shown = JSON.stringify(value)?.slice(0, 200);
  if (typeof value !== 'object' || value === null)
    throw new MailRequestError(`a mail request must be an object; got ${shown}.`);
  const r = value as Record<string, unknown>;
  const fields = FIELDS[r.kind as MailRequest['kind']];
  if (!fields)
    throw new MailRequestError(
      `unknown mail request kind ${JSON.stringify(r.kind)}; expected one of ${Object.keys(FIELDS).join(', ')}.`,
    );
  const extra = Object.keys(r).filter((k) => !fields.includes(k));
  if (extra.length > 0)
    throw new MailRequestError(
      `a ${String(r.kind)} request carries ids only; unexpected field(s) ${extra.join(', ')}.`,
    );
  for (const f of fields.slice(1))
    if (typeof r[f] !== 'string' || !ID.test(r[f]))
      throw new MailRequestError(`${f} of a ${String(r.kind)} request must be an id; got ${JSON.stringify(r[f])}.`);
  return r as MailRequest;
}

export interface MailRequestOutcome {
  readonly kind: MailRequest['kind'];
  /** sent: mailed now; already-sent: a repeated undo request, nothing mailed. */
  readonly status: 'sent' | 'already-sent';
}

/**
 * Sends what a request asks for, after checking the stores agree it is due: only an undo proposal
 * is sent (never a plan's proposal), and only a kept account is announced. The send's own failure
 * handling applies (links withdrawn, approvers alerted, the error thrown so the invocation retries).
 */
export async function fulfilMailRequest(deps: ApprovalDeps, request: MailRequest): Promise<MailRequestOutcome> {
  const req = parseMailRequest(request);
  if (req.kind === MailRequestKind.UNDO_PROPOSAL) {
    const proposal = await deps.proposals.get(req.proposalId);
    if (!proposal?.undoOf)
      throw new MailRequestError(
        `proposal ${req.proposalId} ${proposal ? 'is not an undo proposal' : 'does not exist'}; the review site may only ask to send undo proposals.`,
      );
    const report = await sendProposal(deps, proposal);
    return { kind: req.kind, status: report.status === 'already-sent' ? 'already-sent' : 'sent' };
  }
  const item = await deps.proposals.item(req.proposalId, req.accountId);
  if (!item || !isKept(item))
    throw new MailRequestError(
      `account ${req.accountId} of proposal ${req.proposalId} ${item ? `is ${item.state}, not kept` : 'does not exist'}; no keep notice is sent.`,
    );
  const mail = renderKeptEmail(item, item.executedAt ? Date.parse(item.executedAt) : deps.clock.now(), deps.config);
  await deps.mailer.send({ from: deps.config.approval.from, to: [...deps.config.approval.approvers], ...mail });
  deps.logger.log('info', 'keep.notice-sent', { proposalId: item.proposalId, accountId: item.accountId });
  return { kind: req.kind, status: 'sent' };
}

/** The port's in-process adapter: fulfils each request at once with the same dependencies. */
export const inProcessMailRequests = (deps: ApprovalDeps) => ({
  request: async (req: MailRequest): Promise<void> => void (await fulfilMailRequest(deps, req)),
});

/** Hands a request to the configured port, or fulfils it in process when none is wired. */
export async function requestMail(deps: ApprovalDeps, req: MailRequest): Promise<void> {
  await (deps.mailRequests ?? inProcessMailRequests(deps)).request(req);
}
