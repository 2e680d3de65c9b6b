import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createApprovalService,
  refusalStream,
  proposalStream,
  ITEM_STREAMS,
  itemStream,
  type ApprovalDeps,
  type ApprovalService,
} from '../../lambdas/approval/index.js';
import type { Config } from '../../lambdas/config/index.js';
import type { SignInDeps } from '../../lambdas/approval/signin/index.js';
import { approvalDeps } from '../../lambdas/wiring/index.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';
import { type AuditRecord, type ProposalItem, type ProposalMeta } from '../../lambdas/domain/index.js';
import {
  AuditReader,
  DynamoProposalStore,
  DynamoRunStore,
  DynamoTokenStore,
  type TableNames,
} from '../../lambdas/store/index.js';
import { startApprovalServer, type ApprovalServer } from '../../local/approval-server.js';
import {
  openReviewLink,
  reviewLinkIn,
  submitReview,
  type ReviewPage,
  type ReviewSubmission,
} from '../../local/review-client.js';
import { freePort } from '../../local/ports.js';
import type { StoredEmail } from '../../local/ses.js';
import { makeConfig } from './config.js';
import { makeProposal } from './approval-fixtures.js';
import { dynamoClient, freshTables, outboxFor, sesClient } from './local.js';

export interface ApprovalWorld {
  readonly config: Config;
  readonly db: DynamoDBClient;
  readonly tables: TableNames;
  readonly clock: ManualClock;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly deps: ApprovalDeps;
  readonly service: ApprovalService;
  readonly server: ApprovalServer;
  readonly proposals: DynamoProposalStore;
  readonly tokens: DynamoTokenStore;
  /** Proposal ids handed to the execution seam, in order. */
  readonly started: string[];
  /** Stores a READY proposal with these items (ids rewritten to a fresh proposal id) and its run's seat count. */
  seed(items: readonly ProposalItem[], overrides?: Partial<ProposalMeta>, billable?: number): Promise<ProposalMeta>;
  /** The proposal email one approver received for one proposal. */
  mailFor(approver: string, proposalId: string): Promise<StoredEmail>;
  items(proposalId: string): Promise<Map<string, ProposalItem>>;
  audit(stream: string): Promise<AuditRecord[]>;
  /** Everything a decision or a refusal could change: proposal, items, ballots, audit streams. */
  snapshot(proposalId: string): Promise<Snapshot>;
  stop(): Promise<void>;
}

export interface Snapshot {
  readonly status: string | undefined;
  readonly states: Record<string, string>;
  readonly ballots: number;
  readonly proposalAudit: readonly string[];
  readonly refusalAudit: readonly string[];
}

export interface ApprovalWorldOptions {
  readonly edit?: (raw: Record<string, any>) => void;
  /** Share tables and clock with a plan world. */
  readonly db?: DynamoDBClient;
  readonly tables?: TableNames;
  readonly clock?: ManualClock;
  /** Approver sign-in's secret resolver (and fetch), for worlds with approval.signIn required. */
  readonly signIn?: SignInDeps;
  /** The review server's port. @default a free one */
  readonly port?: number;
}

/** The approval step's real parts: DynamoDB Local tables, the SES v2 emulator, a loopback review server. */
export async function approvalWorld(options: ApprovalWorldOptions = {}): Promise<ApprovalWorld> {
  const port = options.port ?? (await freePort());
  const config = makeConfig((raw) => {
    raw.approval.reviewBaseUrl = `http://127.0.0.1:${port}`;
    options.edit?.(raw);
  });
  const db = options.db ?? dynamoClient();
  const tables = options.tables ?? (await freshTables(db));
  const clock = options.clock ?? new ManualClock(Date.parse('2026-11-01T02:10:00Z'));
  const logger = memoryLogger();
  const started: string[] = [];
  const deps = approvalDeps({
    config,
    db,
    ses: sesClient(),
    tables,
    clock,
    logger,
    execution: { start: async (id) => void started.push(id) },
    ...(options.signIn && { signIn: options.signIn }),
  });
  const service = createApprovalService(deps);
  const server = await startApprovalServer((r) => service.handle(r), { port });
  const proposals = new DynamoProposalStore(db, tables.state, clock);
  const tokens = new DynamoTokenStore(db, tables.state);
  const reader = new AuditReader(db, tables.audit);
  const runs = new DynamoRunStore(db, tables.state);
  const audit = async (stream: string) => {
    const out: AuditRecord[] = [];
    for await (const r of reader.stream(stream)) out.push(r);
    return out;
  };
  const items = async (id: string) => {
    const out = new Map<string, ProposalItem>();
    for await (const i of proposals.items(id)) out.set(i.accountId, i);
    return out;
  };
  return {
    config,
    db,
    tables,
    clock,
    logger,
    deps,
    service,
    server,
    proposals,
    tokens,
    started,
    items,
    audit,
    async seed(given, overrides = {}, billable = 1000) {
      const proposalId = `p-${randomUUID().slice(0, 8)}`;
      const rewritten = given.map((i) => ({ ...i, proposalId }));
      const now = new Date(clock.now()).toISOString();
      const meta = makeProposal(rewritten, {
        runId: proposalId,
        orgId: config.orgId,
        createdAt: now,
        completedAt: now,
        ...overrides,
      });
      await proposals.create({ ...meta, status: 'BUILDING' });
      await proposals.putItems(rewritten);
      const { proposalId: _id, runId: _run, orgId: _org, status: _s, createdAt: _c, ...fields } = meta;
      await proposals.setStatus(proposalId, ['BUILDING'], 'READY', fields);
      await runs.start({
        runId: proposalId,
        kind: 'plan',
        status: 'COMPLETE',
        attempt: 1,
        startedAt: meta.createdAt,
        proposalId,
      });
      await runs.update(proposalId, { summary: { seats: { billable } } });
      return (await proposals.get(proposalId))!;
    },
    async mailFor(approver, proposalId) {
      const mail = (await outboxFor(approver)).find((m) => m.subject.includes(`(proposal ${proposalId})`));
      if (!mail) throw new Error(`no proposal email for ${approver} about ${proposalId} in the SES emulator`);
      return mail;
    },
    async snapshot(proposalId) {
      const states: Record<string, string> = {};
      for (const [id, i] of await items(proposalId))
        states[id] = `${i.state}${i.decidedBy ? ` by ${i.decidedBy}` : ''}`;
      return {
        status: (await proposals.get(proposalId))?.status,
        states,
        ballots: (await tokens.ballots(proposalId)).length,
        // The item-level streams of each step, then the proposal's own stream (appends land last).
        proposalAudit: (
          await Promise.all(
            [...ITEM_STREAMS.map((step) => itemStream(step, proposalId)), proposalStream(proposalId)].map(audit),
          )
        )
          .flat()
          .map((r) => `${r.event}:${r.outcome ?? ''}`),
        refusalAudit: (await audit(refusalStream(clock.now()))).map((r) => `${r.event}:${r.outcome ?? ''}`),
      };
    },
    stop: () => server.stop(),
  };
}

/** The personal review link in a proposal email's text part. */
export function linkIn(mail: StoredEmail): string {
  const link = reviewLinkIn(mail.body.text ?? '');
  if (!link) throw new Error(`no review link in the text part of "${mail.subject}"`);
  return link;
}

export type Page = ReviewPage;
export type Submission = ReviewSubmission;
export const openLink = openReviewLink;
export const submit = submitReview;
