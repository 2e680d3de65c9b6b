import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../lambdas/shared/index.js';
import { DynamoProposalStore, type TableNames } from '../lambdas/store/index.js';
import type { StoredEmail } from '../local/ses.js';
import { openReviewLink, reviewLinkIn, submitReview } from '../local/review-client.js';
import { signInToReview } from '../local/review-signin.js';

/**
 * What an approver does, scripted for the demo: open the link from the mail (which changes
 * nothing), sign in at the provider when sign-in is on, keep every item ticked, tick the override when the page asks for it, press Approve.
 */
export async function approveAsApprover(
  mail: StoredEmail,
  ctx: { db: DynamoDBClient; tables: TableNames; proposalId: string; password?: string },
): Promise<void> {
  const link = reviewLinkIn(mail.body.text ?? '');
  if (!link) throw new Error(`no review link in the mail "${mail.subject}"`);
  console.log(`  link: ${link.replace(/t=[^&]+/, 't=<single-use token>')}`);
  let session = '';
  if (ctx.password !== undefined) {
    const approver = mail.destination.to[0]!;
    const signedIn = await signInToReview(link, { login: approver, password: ctx.password });
    session = `${signedIn.session}; `;
    console.log(`  GET  -> 303 to the OpenID Provider; signed in there as ${approver}; back on the review page`);
  }
  const page = await openReviewLink(link, { cookie: session.replace(/; $/, '') });
  console.log(`  GET  -> ${page.status}; ${page.pending.length} items await a decision; nothing changed by opening it`);
  const override = /name="override"/.test(page.html);
  const res = await submitReview(link, {
    decision: 'approve',
    csrf: page.csrf!,
    cookie: `${session}${page.cookie!}`,
    override,
  });
  console.log(`  POST -> ${res.status}${override ? ' (over the caps: approved with the explicit override)' : ''}`);
  const states: Record<string, number> = {};
  for await (const item of new DynamoProposalStore(ctx.db, ctx.tables.state, systemClock).items(ctx.proposalId))
    states[item.state] = (states[item.state] ?? 0) + 1;
  console.log(
    `  items now: ${Object.entries(states)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}`,
  );
  const again = await submitReview(link, {
    decision: 'approve',
    csrf: page.csrf!,
    cookie: `${session}${page.cookie!}`,
    override,
  });
  console.log(`  the same link again -> ${again.status} (single use)`);
}
