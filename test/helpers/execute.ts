import pLimit from 'p-limit';
import type { AtlassianClient } from '../../lambdas/atlassian/index.js';
import type { Config } from '../../lambdas/config/index.js';
import { ItemState, type AuditRecord, type ProposalItem } from '../../lambdas/domain/index.js';
import { mailerExecMail, type ExecDeps } from '../../lambdas/execute/index.js';
import { SesMailer } from '../../lambdas/mail/index.js';
import { runPlan } from '../../lambdas/plan/index.js';
import { AuditReader, DynamoExecutionStore, DynamoProposalStore, DynamoTokenStore } from '../../lambdas/store/index.js';
import type { AtlassianSimOptions } from '../sim/atlassian/index.js';
import type { SyntheticOrg } from '../sim/org/index.js';
import { sesClient } from './local.js';
import { planWorld, type PlanWorld } from './plan.js';

export interface ExecWorld extends PlanWorld {
  readonly exec: ExecDeps;
  readonly store: DynamoProposalStore;
  /** Plans, then approves every item (as a quorum would) and returns the proposal id. */
  /** `keep`: true approves an item, false rejects it, 'undecided' leaves it PROPOSED. */
  planAndApprove(runId: string, keep?: (i: ProposalItem) => boolean | 'undecided'): Promise<string>;
  items(proposalId: string): Promise<ProposalItem[]>;
  audit(stream: string): Promise<AuditRecord[]>;
  /** Every audit stream's records for a proposal's execution (the execution stream and its chunks). */
  executionAudit(proposalId: string): Promise<AuditRecord[]>;
}

/** Execution's real parts: the plan world's simulators and tables, and the SES emulator for mail. */
export async function executionWorld(
  org: SyntheticOrg,
  config: Config,
  sim: Partial<AtlassianSimOptions> = {},
): Promise<ExecWorld> {
  const w = await planWorld(org, config, sim);
  const store = new DynamoProposalStore(w.db, w.tables.state, w.clock);
  const exec: ExecDeps = {
    config,
    clock: w.clock,
    logger: w.logger,
    org: w.deps.org as AtlassianClient,
    entra: w.deps.entra,
    proposals: store,
    executions: new DynamoExecutionStore(w.db, w.tables.state, w.clock),
    ballots: new DynamoTokenStore(w.db, w.tables.state),
    audit: w.deps.audit,
    mail: mailerExecMail(new SesMailer(sesClient()), config),
  };
  const reader = new AuditReader(w.db, w.tables.audit);
  const audit = async (stream: string) => {
    const out: AuditRecord[] = [];
    for await (const r of reader.stream(stream)) out.push(r);
    return out;
  };
  const items = async (id: string) => {
    const out: ProposalItem[] = [];
    for await (const i of store.items(id)) out.push(i);
    return out;
  };
  return {
    ...w,
    exec,
    store,
    items,
    audit,
    async executionAudit(proposalId) {
      const out = await audit(`execution#${proposalId}`);
      for (let i = 0; ; i++) {
        const chunk = await audit(`execution#${proposalId}#main#chunk#${i}`);
        const auto = await audit(`execution#${proposalId}#auto#chunk#${i}`);
        if (chunk.length === 0 && auto.length === 0 && i > 0) break;
        out.push(...chunk, ...auto);
      }
      return out;
    },
    async planAndApprove(runId, keep = () => true) {
      const result = await runPlan(w.deps, { runId });
      if (!result.proposalId) throw new Error(`the plan proposed nothing: ${result.status}`);
      const id = result.proposalId;
      const all = await items(id);
      const limit = pLimit(8);
      await Promise.all(
        all.map((i) => {
          const k = keep(i);
          if (k === 'undecided') return undefined;
          return limit(() =>
            store.moveItem(id, i.accountId, k ? ItemState.APPROVED : ItemState.REJECTED, { decidedBy: 'test' }),
          );
        }),
      );
      const at = new Date(w.clock.now()).toISOString();
      await store.setStatus(id, ['READY'], 'APPROVED', { decidedAt: at, decidedBy: 'approver@example.com' });
      return id;
    },
  };
}
