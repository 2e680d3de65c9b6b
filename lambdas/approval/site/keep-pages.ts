/**
 * GET and POST of a "keep my account" link (approval/keep.ts). GET only reads (mail scanners open
 * links); POST is checked like a decision (Origin and the double-submit CSRF cookie) before it keeps.
 */
import type { Config } from '../../config/index.js';
import { ItemState } from '../../domain/item-states.js';
import type { ProposalItem } from '../../domain/proposal.js';
import { calendarDate } from '../../mail/format.js';
import { html } from '../../shared/html.js';
import { checkKeepLink, isKept, keepAccount } from '../keep.js';
import type { ApprovalDeps } from '../ports.js';
import { presentedRef } from '../tokens.js';
import { CSRF_FIELD, csrfForPage, keepPath } from './csrf.js';
import { htmlResponse, newNonce, type HttpRequest, type HttpResponse } from './http.js';
import { formFromPage, messageResponse, pageShell } from './pages.js';

const HEADER = 'ATLASSIAN LIFECYCLE · YOUR ACCOUNT';

const page = messageResponse;

const contactOf = (config: Config) => config.execution.contact ?? config.approval.approvers[0]!;
const dueDate = (item: ProposalItem, config: Config) =>
  item.notBefore ? calendarDate(item.notBefore, config.schedules.timeZone) : 'the announced date';

/** What a link whose item no longer waits says: the truth about the account, and whom to ask. */
function notWaiting(item: ProposalItem, config: Config, https: boolean): HttpResponse {
  const contact = contactOf(config);
  if (item.state === ItemState.DONE)
    return page(200, https, {
      title: 'Your account was already deactivated',
      tone: 'danger',
      text: `The date has passed and the account was deactivated. Ask ${contact} to reactivate it.`,
    });
  if (item.state === ItemState.IN_FLIGHT)
    return page(200, https, {
      title: 'Your account is being deactivated now',
      tone: 'danger',
      text: `It is too late for this link. Ask ${contact} to reactivate the account.`,
    });
  return page(200, https, {
    title: 'Your account will not be deactivated',
    tone: 'success',
    text: `Nothing to do: this change was cancelled or is no longer needed. Questions: ${contact}.`,
  });
}

export async function handleKeepRequest(
  deps: ApprovalDeps,
  req: HttpRequest,
  proposalId: string,
  base: URL,
): Promise<HttpResponse> {
  const https = base.protocol === 'https:';
  const method = req.method.toUpperCase();
  const link = await checkKeepLink(deps, proposalId, req.query.t);
  if (!link.ok) {
    deps.logger.log('warn', 'keep.refused', { method, tokenRef: presentedRef(req.query.t), detail: link.detail });
    if (link.why === 'expired' && link.item && link.item.state !== ItemState.APPROVED)
      return notWaiting(link.item, deps.config, https);
    return link.why === 'expired'
      ? page(410, https, {
          title: 'This link has expired',
          tone: 'danger',
          text: `The date to keep the account has passed. Ask ${contactOf(deps.config)} if you still need it.`,
        })
      : page(404, https, {
          title: 'This link is not valid',
          tone: 'quiet',
          text: 'Open the link exactly as it came in the mail. Ask your administrator if it still does not work.',
        });
  }
  const { item } = link;
  if (method === 'POST') {
    const posted = formFromPage(req, base);
    if (!posted.ok) return posted.response;
    const result = await keepAccount(deps, link);
    if (result.kind === 'too-late') return notWaiting(result.item, deps.config, https);
    return page(200, https, {
      title: 'Your account is kept',
      tone: 'success',
      text: `${item.email ?? 'Your account'} will not be deactivated. Your administrators have been told. Nothing else to do.`,
    });
  }
  if (isKept(item))
    return page(200, https, {
      title: 'Your account is kept',
      tone: 'success',
      text: `${item.email ?? 'Your account'} will not be deactivated. Nothing else to do.`,
    });
  if (item.state !== ItemState.APPROVED) return notWaiting(item, deps.config, https);
  const csrf = csrfForPage(req, base, keepPath(base));
  const nonce = newNonce();
  const due = dueDate(item, deps.config);
  const body = pageShell({
    title: 'Keep your Atlassian account',
    nonce,
    header: HEADER,
    main: html`<div class="message"><div class="banner info"><strong>Your account is due to be deactivated on ${due}</strong></div>
<p>Account: <strong>${item.email ?? item.accountId}</strong>. Why: ${item.summary}</p>
<p>Press the button to keep it. Using Jira or Confluence before ${due} keeps it too.</p>
<form method="post"><input type="hidden" name="${CSRF_FIELD}" value="${csrf.value}"><button class="approve" type="submit" name="keep" value="yes">Keep my account</button></form>
<p class="note">Questions: ${contactOf(deps.config)}.</p></div>`,
  });
  return htmlResponse(200, method === 'HEAD' ? '' : body, nonce, https, csrf.setCookie ? [csrf.setCookie] : []);
}
