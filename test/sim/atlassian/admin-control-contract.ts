/**
 * The Admin Control API (authentication policies) as zod schemas, written from
 * ../shared/contracts/atlassian/admin-control.md: no machine-readable spec exists. Used by the
 * contract tests (through test/helpers/openapi.ts) to check the simulator's responses and a
 * client's requests. Fields the page does not document are our documented choice and marked so.
 */
import { z } from 'zod';

export const ADMIN_CONTROL_OPERATIONS = [
  { method: 'POST', template: '/v1/orgs/{orgId}/auth-policy/{policyId}/add-users' },
  { method: 'GET', template: '/v1/orgs/{orgId}/auth-policy/task/{taskId}' },
  { method: 'POST', template: '/v1/orgs/{orgId}/users/auth-policies/bulk-fetch' },
] as const;

const count = z.number().int().min(0);

export const addUsersRequest = z.strictObject({ users: z.array(z.string().includes('@')).min(1) });
export const addUsersAccepted = z.object({ taskId: z.string().min(1), taskLink: z.url() });

export const taskStatus = z.object({
  inProgressCount: count,
  successCount: count,
  failureCount: count,
  failureReasons: z.array(
    z.object({
      emails: z.array(z.string()),
      details: z.object({ status: z.number().int(), title: z.string(), detail: z.string() }),
    }),
  ),
});

/** Batch size: undocumented; 100 is our documented choice (the simulator answers 400 above it). */
export const bulkFetchRequest = z.strictObject({ accountIds: z.array(z.string().min(1)).min(1).max(100) });

/** One object per user "starting with `email`"; the other names are our documented choice. */
export const policyInfo = z.looseObject({
  email: z.string(),
  accountId: z.string().optional(),
  policyId: z.string().optional(),
  policyName: z.string().optional(),
  policyType: z.enum(['billable', 'nonbillable']).optional(),
});
export const bulkFetchResponse = z.array(policyInfo);

/** 401 and 429 come from the API gateway, as ProxyError elsewhere in the admin APIs. */
export const proxyError = z.object({ code: z.number(), message: z.string() });
/** 400/404 bodies are undocumented: the Organizations API error list is our choice. */
export const errorList = z.object({
  errors: z
    .array(
      z.object({
        code: z.string(),
        title: z.string(),
        status: z.string(),
        detail: z.string().optional(),
        id: z.string().optional(),
      }),
    )
    .min(1),
});

type Template = (typeof ADMIN_CONTROL_OPERATIONS)[number]['template'];
const SUCCESS: Record<Template, { status: number; request?: z.ZodType; response: z.ZodType }> = {
  '/v1/orgs/{orgId}/auth-policy/{policyId}/add-users': {
    status: 202,
    request: addUsersRequest,
    response: addUsersAccepted,
  },
  '/v1/orgs/{orgId}/auth-policy/task/{taskId}': { status: 200, response: taskStatus },
  '/v1/orgs/{orgId}/users/auth-policies/bulk-fetch': {
    status: 200,
    request: bulkFetchRequest,
    response: bulkFetchResponse,
  },
};

const issues = (where: string, r: { success: boolean; error?: z.ZodError }) =>
  r.success ? [] : (r.error?.issues ?? []).map((i) => `${where}: ${i.path.join('.') || '(root)'} ${i.message}`);

/** Errors of a request body (`kind: 'request'`) or a response body for a status. */
export function validateAdminControl(
  kind: 'request' | 'response',
  method: string,
  template: string,
  status: number,
  body: unknown,
): string[] {
  const where = `${method.toUpperCase()} ${template} ${kind === 'request' ? 'request' : status}`;
  const op = ADMIN_CONTROL_OPERATIONS.find((o) => o.method === method.toUpperCase() && o.template === template);
  if (!op) return [`${where}: no such Admin Control operation`];
  const rule = SUCCESS[op.template];
  if (kind === 'request') {
    if (!rule.request) return body === undefined ? [] : [`${where}: the operation takes no body`];
    return issues(where, rule.request.safeParse(body));
  }
  if (status === rule.status) return issues(where, rule.response.safeParse(body));
  if (status === 401 || status === 429 || status >= 502) return issues(where, proxyError.safeParse(body));
  if (status === 400 || status === 404 || status === 500) return issues(where, errorList.safeParse(body));
  return [`${where}: status ${status} not expected from this operation`];
}
