/**
 * Admin Control (admin-control.md): add users to an authentication policy (async task), task
 * status, and bulk policy fetch. Undocumented details are our documented choices: add-users takes
 * at most 10,000 emails per request (the admin UI's CSV limit); bulk-fetch at most 100 account ids,
 * answers in request order, and leaves out unknown ids and app accounts (no policy applies to them).
 */
import { z } from 'zod';
import type { RequestContext, SimResponse } from '../context.js';
import { PipelineErrors, SimHttpError } from '../errors.js';
import { describeIssues } from './search-request.js';

export const ADD_USERS_MAX = 10_000;
export const BULK_FETCH_MAX = 100;

const addUsersBody = z.object({ users: z.array(z.string().min(1)).min(1).max(ADD_USERS_MAX) });
const bulkFetchBody = z.object({ accountIds: z.array(z.string().min(1)).min(1).max(BULK_FETCH_MAX) });

function parse<T>(ctx: RequestContext, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(ctx.json());
  if (!parsed.success) throw PipelineErrors.badBody(describeIssues(parsed.error));
  return parsed.data;
}

/** POST /admin/control/v1/orgs/{orgId}/auth-policy/{policyId}/add-users → 202 {taskId, taskLink} */
export function addUsersToPolicy(ctx: RequestContext): SimResponse {
  const { core } = ctx;
  const policyId = ctx.params.policyId!;
  if (!core.state.policy(policyId))
    throw new SimHttpError(
      404,
      'ADMIN-404-5',
      'Policy not found',
      `No authentication policy ${policyId} in this organization`,
    );
  const { users } = parse(ctx, addUsersBody);
  const id = core.newId();
  core.tasks.create(id, policyId, ctx.pathname, users, core.now(), (email) => core.faults.taskFails(email));
  const taskLink = `${core.url()}/admin/control/v1/orgs/${encodeURIComponent(core.org.orgId)}/auth-policy/task/${id}`;
  return { status: 202, body: { taskId: id, taskLink } };
}

/** GET /admin/control/v1/orgs/{orgId}/auth-policy/task/{taskId} */
export function getTask(ctx: RequestContext): SimResponse {
  const status = ctx.core.tasks.status(ctx.params.taskId!);
  if (!status) throw new SimHttpError(404, 'ADMIN-404-1', 'Task not found', `No task ${ctx.params.taskId}`);
  return { status: 200, body: status };
}

/** POST /admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch → [{email, accountId, policyId, policyName, policyType}] */
export function bulkFetchPolicies(ctx: RequestContext): SimResponse {
  const { state } = ctx.core;
  const { accountIds } = parse(ctx, bulkFetchBody);
  const body = accountIds.flatMap((id) => {
    const p = state.person(id);
    const policy = p && p.accountType === 'atlassian' ? state.policy(p.policyId) : undefined;
    if (!p || !policy) return [];
    return [
      {
        email: p.atlassianEmail,
        accountId: p.accountId,
        policyId: policy.id,
        policyName: policy.name,
        policyType: policy.type,
      },
    ];
  });
  return { status: 200, body };
}
