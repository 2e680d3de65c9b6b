import { auditRefusal, type RefusalContext } from '../audit-entries.js';
import type { HttpResponse } from './http.js';
import { htmlResponse, newNonce } from './http.js';
import { messagePage } from './pages.js';
import type { ApprovalDeps } from '../ports.js';
import type { Refusal } from '../refusals.js';
import { REFUSAL_PAGES } from './refusal-pages.js';

/** Audits a refusal and answers with its page; nothing else is written. */
export async function refuse(
  deps: ApprovalDeps,
  https: boolean,
  method: string,
  refusal: Refusal,
  ctx: RefusalContext,
): Promise<HttpResponse> {
  await auditRefusal(deps, refusal, ctx, method);
  const page = REFUSAL_PAGES[refusal];
  const nonce = newNonce();
  return htmlResponse(
    page.status,
    messagePage({ title: page.title, text: page.text, tone: page.status === 404 ? 'quiet' : 'danger', nonce }),
    nonce,
    https,
  );
}
