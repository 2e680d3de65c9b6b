/**
 * "Not found in Entra" means deleted only for emails on the tenant's own domains (configured, or
 * the verified domains Graph lists at GET /domains); disabled and deleted have their own switches,
 * and each proposed leaver says which rule fired (issue 14, finding 4). Real parts: both
 * simulators on loopback, DynamoDB Local.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../lambdas/config/index.js';
import { runPlan } from '../../lambdas/plan/index.js';
import { DynamoProposalStore } from '../../lambdas/store/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { syntheticOrg, type Person, type SyntheticOrg } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import { planWorld, type PlanWorld } from '../helpers/plan.js';

type Raw = Record<string, any>;
const leaverConfig = (edit: (raw: Raw) => void = () => undefined): Config =>
  makeConfig((raw) => {
    raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
    edit(raw);
  });

interface Cast {
  readonly org: SyntheticOrg;
  /** Active, on a partner domain (not excluded), never in Entra, in the nonbillable policy. */
  readonly consultant: Person;
  /** Active, on example.com, gone from Entra. */
  readonly deleted: Person;
  /** Active, on example.com, disabled in Entra. */
  readonly disabled: Person;
}

function cast(): Cast {
  const org = syntheticOrg({ size: 300, seed: 31 });
  const ordinary = org.people.filter(
    (p) =>
      p.accountType === 'atlassian' &&
      !p.breakGlass &&
      !p.orgAdmin &&
      p.accountStatus === 'active' &&
      p.membershipStatus === 'active' &&
      p.managementSource === 'invited' &&
      p.atlassianEmail.endsWith('@example.com') &&
      p.entra?.accountEnabled === true &&
      p.entra.groups.length === 0 &&
      p.products.some((u) => u.lastActive && Date.parse(u.lastActive) > Date.parse(org.now) - 20 * 86_400_000),
  );
  const [consultant, deleted, disabled] = ordinary as [Person, Person, Person];
  const email = 'sam.consult@consult.example.net';
  Object.assign(consultant, { email, atlassianEmail: email, entra: undefined });
  consultant.policyId = org.policies.nonbillableId;
  Object.assign(deleted, { entra: undefined });
  disabled.entra!.accountEnabled = false;
  return { org, consultant, deleted, disabled };
}

async function items(w: PlanWorld, proposalId: string): Promise<Map<string, ProposalItem>> {
  const out = new Map<string, ProposalItem>();
  for await (const i of new DynamoProposalStore(w.db, w.tables.state, w.clock).items(proposalId))
    out.set(i.accountId, i);
  return out;
}

let w: PlanWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

describe('plan: Entra leavers', () => {
  it('does not propose an active consultant on a partner domain who was never in Entra; reads the tenant domains from Graph', async () => {
    const c = cast();
    w = await planWorld(c.org, leaverConfig());
    const result = await runPlan(w.deps, { runId: 'leavers-graph' });
    const got = await items(w, result.proposalId!);
    expect(got.get(c.consultant.accountId)).toBeUndefined();
    expect(got.get(c.deleted.accountId)).toMatchObject({
      action: 'DEACTIVATE',
      reason: 'ENTRA_NOT_FOUND',
      summary: expect.stringMatching(
        /^Deleted from Entra ID: no Entra user has this email and example\.com is one of the tenant's domains \(deactivation\.deactivateEntraDeleted\)/,
      ),
      evidence: expect.objectContaining({
        leaverRule: 'deactivation.deactivateEntraDeleted',
        notInEntra: { emailDomain: 'example.com', tenantDomain: true },
      }),
    });
    expect(got.get(c.disabled.accountId)).toMatchObject({
      reason: 'ENTRA_DISABLED',
      summary: expect.stringContaining('(deactivation.deactivateEntraDisabled)'),
      evidence: expect.objectContaining({ leaverRule: 'deactivation.deactivateEntraDisabled' }),
    });
    expect(w.graph.counters().byRoute.domains).toBe(1);
    const run = await w.deps.runs.get('leavers-graph');
    expect(run?.summary).toMatchObject({
      tenantDomains: { source: 'graph', domains: expect.arrayContaining(['example.com']) },
    });
  });

  it('uses entra.tenantDomains when configured, without asking Graph', async () => {
    const c = cast();
    w = await planWorld(
      c.org,
      leaverConfig((raw) => (raw.entra.tenantDomains = ['example.com'])),
    );
    const result = await runPlan(w.deps, { runId: 'leavers-configured' });
    const got = await items(w, result.proposalId!);
    expect(got.get(c.consultant.accountId)).toBeUndefined();
    expect(got.get(c.deleted.accountId)?.reason).toBe('ENTRA_NOT_FOUND');
    expect(w.graph.counters().byRoute.domains ?? 0).toBe(0);
  });

  it('honours each switch on its own', async () => {
    const c = cast();
    w = await planWorld(
      c.org,
      leaverConfig((raw) => (raw.deactivation.deactivateEntraDeleted = false)),
    );
    const result = await runPlan(w.deps, { runId: 'leavers-disabled-only' });
    const got = await items(w, result.proposalId!);
    // Gone from Entra but not deactivated for it: outside the Confluence group, so only moved.
    expect(got.get(c.deleted.accountId)).toMatchObject({ action: 'MOVE_TO_NONBILLABLE' });
    expect(got.get(c.disabled.accountId)?.reason).toBe('ENTRA_DISABLED');
    expect(w.graph.counters().byRoute.domains ?? 0).toBe(0);
  });

  it('fails the run and alerts, naming Domain.Read.All and entra.tenantDomains, when Graph refuses the domain list', async () => {
    const c = cast();
    w = await planWorld(c.org, leaverConfig());
    w.graph.permissions.delete('Domain.Read.All');
    await expect(runPlan(w.deps, { runId: 'leavers-no-domains' })).rejects.toThrow(/Domain\.Read\.All/);
    expect(w.alerts).toEqual([
      {
        runId: 'leavers-no-domains',
        kind: 'failed',
        reasons: [expect.stringMatching(/set entra\.tenantDomains to skip this read.*lacks Domain\.Read\.All/s)],
        at: expect.any(Number),
      },
    ]);
  });
});
