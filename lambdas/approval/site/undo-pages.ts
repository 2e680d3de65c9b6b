/**
 * GET and POST of an "ask to undo" link (approval/undo-request.ts). GET lists the executed changes
 * with a box each and writes nothing; POST (Origin and double-submit CSRF checked) proposes the
 * undo of the ticked ones, which the approvers then decide like any proposal.
 */
import { ACTION_LABEL } from '../../mail/format.js';
import { html } from '../../shared/html.js';
import type { ApprovalDeps } from '../ports.js';
import { askUndo, checkUndoLink, listed } from '../undo-request.js';
import { presentedRef } from '../tokens.js';
import { CSRF_FIELD, csrfForPage, undoPath } from './csrf.js';
import { htmlResponse, newNonce, type HttpRequest, type HttpResponse } from './http.js';
import { formFromPage, messageResponse, pageShell } from './pages.js';

const page = messageResponse;

export async function handleUndoRequest(
  deps: ApprovalDeps,
  req: HttpRequest,
  proposalId: string,
  base: URL,
): Promise<HttpResponse> {
  const https = base.protocol === 'https:';
  const method = req.method.toUpperCase();
  const link = await checkUndoLink(deps, proposalId, req.query.t);
  if (!link.ok) {
    deps.logger.log('warn', 'undo.refused', { method, tokenRef: presentedRef(req.query.t), detail: link.detail });
    return page(link.status, https, {
      title: link.title,
      tone: link.status === 404 ? 'quiet' : 'danger',
      text:
        link.status === 404
          ? 'Open the link exactly as it came in the results mail.'
          : `${link.detail}. An operator can still undo from the command line (lifecycle undo).`,
    });
  }
  if (method === 'POST') {
    const posted = formFromPage(req, base);
    if (!posted.ok) return posted.response;
    const asked = await askUndo(deps, link, posted.form.getAll('item'));
    if (!asked.ok) return page(400, https, { title: 'Nothing was proposed', tone: 'danger', text: asked.detail });
    const { undo } = asked;
    const id = undo.proposal.proposalId;
    return page(200, https, {
      title: asked.sent ? 'Undo proposed' : 'This undo was asked for already',
      tone: asked.sent ? 'success' : 'info',
      text: asked.sent
        ? `Proposal ${id} reverses ${undo.items.length} change(s). It goes to the approvers by mail: nothing is reversed until they approve it.`
        : `Proposal ${id} reverses the same change(s) and is ${undo.proposal.status}; nothing new was mailed.`,
    });
  }
  const csrf = csrfForPage(req, base, undoPath(base));
  const nonce = newNonce();
  const rows = listed(link.changes).map(
    (i) =>
      html`<tr><td class="pick"><input type="checkbox" name="item" value="${i.accountId}" aria-label="${`Undo ${i.email ?? i.accountId}`}"></td><td class="person"><span class="name">${i.name ?? '(no name)'}</span><span class="mail">${i.email ?? 'email hidden'}</span><span class="id">${i.accountId}</span></td><td><span class="badge b-${i.action}">${ACTION_LABEL[i.action]}</span></td><td>${(i.executedAt ?? '').slice(0, 16).replace('T', ' ')}</td></tr>`,
  );
  const body = pageShell({
    title: `Undo changes of ${proposalId}`,
    nonce,
    header: 'ATLASSIAN LIFECYCLE · ASK TO UNDO',
    main: html`<h1>Undo changes of ${proposalId}</h1>
<p class="sub">Tick the changes to reverse: a deactivated account is reactivated, a moved account goes back to its policy. This proposes an undo that the approvers decide; nothing changes before that.</p>
<form method="post"><input type="hidden" name="${CSRF_FIELD}" value="${csrf.value}">
<div class="panel"><div class="scroll"><table><thead><tr><th></th><th>Person</th><th>Change made</th><th>When (UTC)</th></tr></thead><tbody>${rows}</tbody></table></div></div>
<p><button class="approve" type="submit">Propose the undo</button></p></form>`,
  });
  return htmlResponse(200, method === 'HEAD' ? '' : body, nonce, https, csrf.setCookie ? [csrf.setCookie] : []);
}
