/**
 * Undo from the review site (issue 9): the results mail gives each approver a signed single-use
 * "ask to undo" link; GET lists the executed changes and writes nothing; POST proposes the undo of
 * the ticked changes as a new proposal mailed to the approvers; once they approve it through their
 * review links, the same engine reverses exactly those accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApprovalRequest, undoLinkIssuer, type ApprovalDeps } from '../../lambdas/approval/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { mailerExecMail } from '../../lambdas/execute/index.js';
import { SesMailer } from '../../lambdas/mail/index.js';
import { DynamoTokenStore } from '../../lambdas/store/index.js';
import { approvalDeps } from '../../lambdas/wiring/index.js';
import { startApprovalServer, type ApprovalServer } from '../../local/approval-server.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { openReviewLink, reviewLinkIn, submitReview } from '../../local/review-client.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { outboxFor, sesClient } from '../helpers/local.js';
import { scenarioConfig, uniqueRunId } from '../helpers/execute-scenarios.js';

const org = syntheticOrg({ size: 300, seed: 99, scimSyncedShare: 0 });
const UNDO_LINK = /(http:\/\/127\.0\.0\.1:\d+\/undo\/\S+\?t=[A-Za-z0-9_-]{43})/;

describe('undo from the review site', () => {
  let server: ApprovalServer;
  let site: ApprovalDeps | undefined;
  let w: ExecWorld;
  let id: string;
  let done: ProposalItem[];
  let chosen: ProposalItem[];
  let undoId: string;
  const links = new Map<string, string>();
  const before = new Map<string, string>();
  const stateOf = (accountId: string) => {
    const p = w.atlassian.person(accountId)!;
    return `${p.accountStatus}/${p.policyId}`;
  };

  beforeAll(async () => {
    server = await startApprovalServer((req) => handleApprovalRequest(site!, req));
    const config = scenarioConfig((c) => (c.approval.reviewBaseUrl = server.url));
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    site = approvalDeps({ config, db: w.db, ses: sesClient(), tables: w.tables, clock: w.clock, logger: w.logger });
    const tokens = new DynamoTokenStore(w.db, w.tables.state);
    const mail = mailerExecMail(new SesMailer(sesClient()), config, undoLinkIssuer(config, tokens, w.clock));
    Object.assign(w, { exec: { ...w.exec, mail } });
    id = await w.planAndApprove(uniqueRunId('undosite'));
    for (const i of await w.items(id)) before.set(i.accountId, stateOf(i.accountId));
    await runExecutionLocally(w.exec, { proposalId: id });
    done = (await w.items(id)).filter((i) => i.state === 'DONE');
    const leaver = (i: ProposalItem) => {
      const entra = i.evidence.entra as { accountEnabled?: boolean; found?: boolean } | undefined;
      return entra?.accountEnabled === false || entra?.found === false;
    };
    chosen = [
      done.find((i) => i.action === 'DEACTIVATE' && !leaver(i))!,
      done.find((i) => i.action === 'MOVE_TO_NONBILLABLE')!,
    ];
    for (const approver of config.approval.approvers) {
      const results = (await outboxFor(approver)).filter(
        (m) => m.subject.includes(id) && UNDO_LINK.test(m.body.text ?? ''),
      );
      expect(results, `results mail with an undo link to ${approver}`).toHaveLength(1);
      links.set(approver, UNDO_LINK.exec(results[0]!.body.text!)![1]!);
    }
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
    await w?.stop();
  });

  it('each approver gets their own link; GET lists every executed change and writes nothing', async () => {
    expect(new Set(links.values()).size).toBe(links.size);
    const page = await openReviewLink([...links.values()][0]!);
    expect(page.status).toBe(200);
    expect([...page.html.matchAll(/name="item" value="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(
      done.map((i) => i.accountId).sort(),
    );
    expect(page.html).not.toMatch(/ checked/);
    const source = await w.audit(`PROPOSAL#${id}`);
    expect(source.filter((r) => r.event === 'UNDO_REQUESTED')).toEqual([]);
  });

  it('a forged link, a link used as a review link, and a POST from elsewhere propose nothing', async () => {
    const link = [...links.values()][0]!;
    const page = await openReviewLink(link);
    const forged = link.replace(/t=[A-Za-z0-9_-]{43}/, `t=${'B'.repeat(43)}`);
    expect((await openReviewLink(forged)).status).toBe(404);
    expect((await openReviewLink(link.replace('/undo/', '/review/'))).status).toBe(404);
    expect((await openReviewLink(link.replace('/undo/', '/keep/'))).status).toBe(404);
    const crossSite = await submitReview(link, {
      csrf: page.csrf!,
      cookie: page.cookie!,
      origin: 'https://evil.test',
      items: [chosen[0]!.accountId],
    });
    expect(crossSite.status).toBe(403);
    const source = await w.audit(`PROPOSAL#${id}`);
    expect(source.filter((r) => r.event === 'UNDO_REQUESTED')).toEqual([]);
  });

  it('one link used by parallel POSTs proposes one undo', async () => {
    const link = [...links.values()][0]!;
    const page = await openReviewLink(link);
    const answers = await Promise.all(
      done.slice(2, 5).map((i) => submitReview(link, { csrf: page.csrf!, cookie: page.cookie!, items: [i.accountId] })),
    );
    expect(answers.filter((a) => a.html.includes('Undo proposed'))).toHaveLength(1);
    const source = await w.audit(`PROPOSAL#${id}`);
    expect(source.filter((r) => r.event === 'UNDO_REQUESTED')).toHaveLength(1);
  });

  it('POST proposes the undo of the ticked changes and mails it to the approvers; the link then is spent', async () => {
    const [approver, link] = [...links.entries()][1]!;
    const page = await openReviewLink(link);
    const asked = await submitReview(link, {
      csrf: page.csrf!,
      cookie: page.cookie!,
      items: chosen.map((i) => i.accountId),
    });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('Undo proposed');
    undoId = /Proposal (undo-\S+) reverses/.exec(asked.html)![1]!;
    const undo = await w.store.get(undoId);
    expect(undo).toMatchObject({ status: 'READY', undoOf: id, itemCount: 2 });
    // Never approved by configuration, whatever approval.autoApprove says: people decide an undo.
    expect(undo?.autoApproved ?? 0).toBe(0);
    expect((await w.items(undoId)).map((i) => i.state)).toEqual(['PROPOSED', 'PROPOSED']);
    expect((await w.items(undoId)).map((i) => i.action).sort()).toEqual(['MOVE_TO_BILLABLE', 'REACTIVATE']);
    const source = await w.audit(`PROPOSAL#${id}`);
    expect(source.filter((r) => r.event === 'UNDO_REQUESTED').at(-1)).toMatchObject({ actor: `approver:${approver}` });

    const again = await submitReview(link, { csrf: page.csrf!, cookie: page.cookie!, items: [done[2]!.accountId] });
    expect(again.status).toBe(409);
    // Nothing was reversed yet: the undo waits for the approvers.
    for (const i of chosen) expect(stateOf(i.accountId)).not.toBe(before.get(i.accountId));
  });

  it('once the approvers approve the undo proposal, exactly those accounts are restored', async () => {
    const mutationsBefore = w.atlassian.mutations().length;
    for (const approver of w.exec.config.approval.approvers) {
      const mail = (await outboxFor(approver)).find((m) => m.subject.includes(undoId));
      expect(mail?.subject).toContain(`undo of 2 changes made by proposal ${id}`);
      expect(mail, `undo proposal mailed to ${approver}`).toBeDefined();
      const link = reviewLinkIn(mail!.body.text!)!;
      const page = await openReviewLink(link);
      if (page.status !== 200) break; // the quorum was reached: the proposal is closed
      await submitReview(link, { csrf: page.csrf!, cookie: page.cookie!, decision: 'approve' });
      if ((await w.store.get(undoId))?.status === 'APPROVED') break;
    }
    expect((await w.store.get(undoId))?.status).toBe('APPROVED');
    await runExecutionLocally(w.exec, { proposalId: undoId });
    for (const i of chosen) expect(stateOf(i.accountId), i.accountId).toBe(before.get(i.accountId));
    const touched = new Set(
      w.atlassian
        .mutations()
        .slice(mutationsBefore)
        .map((m) => m.accountId),
    );
    expect(touched).toEqual(new Set(chosen.map((i) => i.accountId)));
  });
});
