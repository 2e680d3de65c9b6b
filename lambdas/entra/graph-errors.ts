import {
  EntraAuthError,
  EntraGroupNotFoundError,
  EntraLicenseError,
  EntraPermissionError,
  EntraResponseError,
  EntraThrottledError,
  EntraUnavailableError,
  type EntraError,
} from './errors.js';
import { GraphPermission, howToGrant } from './permissions.js';
import { parseRetryAfter, type RetryDecision } from './retry-policy.js';

/** What a request was for: used in every message, and to name the permission a 403 lacks. */
export interface RequestPurpose {
  /** "list the transitive members of group grp-confluence-users" */
  readonly action: string;
  readonly permission: GraphPermission;
  /** Set when the request reads a configured group: a 404 then means a wrong group id. */
  readonly groupId?: string;
}

export interface FailureContext {
  readonly clientId: string;
  readonly attempts: number;
  readonly gaveUp?: Extract<RetryDecision, { retry: false }>;
  readonly now: number;
}

/** Graph's `{error:{code,message,innerError:{request-id}}}`, read defensively. */
export function graphErrorBody(body: unknown): { code?: string; message?: string; requestId?: string } {
  const error = (
    body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined
  )?.error;
  if (!error || typeof error !== 'object') return {};
  const requestId = error.innerError?.['request-id'];
  return {
    ...(typeof error.code === 'string' && { code: error.code }),
    ...(typeof error.message === 'string' && { message: error.message.slice(0, 300) }),
    ...(typeof requestId === 'string' && { requestId }),
  };
}

/** Graph's code for "signInActivity needs Entra ID P1" (a 403, but a licence, not a permission). */
export const NON_PREMIUM_CODE = 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';

/** Translates a final non-2xx Graph response into the EntraError that says what to fix. */
export function graphFailure(
  status: number,
  body: unknown,
  retryAfter: string | null | undefined,
  purpose: RequestPurpose,
  ctx: FailureContext,
): EntraError {
  const g = graphErrorBody(body);
  const fields = {
    status,
    ...(g.code !== undefined && { code: g.code }),
    ...(g.requestId !== undefined && { requestId: g.requestId }),
  };
  const said = `${status}${g.code ? ` ${g.code}` : ''}${g.message ? `: ${g.message}` : ''}`;
  const head = `Microsoft Graph refused to ${purpose.action} (${said})`;
  if (status === 401) {
    return new EntraAuthError(
      `${head}. The access token was not accepted: check that entra.tenantId is the app registration's tenant and entra.graphBaseUrl is the Graph of that cloud.`,
      fields,
    );
  }
  if (status === 403 && g.code === NON_PREMIUM_CODE) {
    return new EntraLicenseError(
      `${head}. Reading signInActivity needs a Microsoft Entra ID P1 (or P2) licence in the tenant, and the ${GraphPermission.SIGN_IN_ACTIVITY} permission. ` +
        'Buy/assign P1, or set entra.readSignInActivity to false to plan without Entra sign-in dates.',
      GraphPermission.SIGN_IN_ACTIVITY,
      fields,
    );
  }
  if (status === 403) {
    return new EntraPermissionError(
      `${head}. The app registration lacks ${purpose.permission}. ${howToGrant(purpose.permission, ctx.clientId)}`,
      purpose.permission,
      fields,
    );
  }
  if (status === 404 && purpose.groupId !== undefined) {
    return new EntraGroupNotFoundError(
      `${head}. Group ${purpose.groupId} does not exist in the tenant. Check the group's Object ID (Entra admin center > Groups > the group > Overview) in entra.confluenceGroupId / entra.exclusionGroupIds.`,
      purpose.groupId,
      fields,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter, ctx.now);
    return new EntraThrottledError(
      `${head}: still throttled after ${ctx.attempts} attempt(s) (gave up: ${ctx.gaveUp?.reason ?? 'budget'}; Retry-After ${retryAfterMs ?? '?'} ms). ` +
        "Another app may be using the tenant's Graph quota; re-run the read later, or schedule the plan at a quieter hour (schedules.plan).",
      retryAfterMs,
      ctx.attempts,
      fields,
    );
  }
  if (status >= 500) {
    return new EntraUnavailableError(
      `${head}: Graph kept failing after ${ctx.attempts} attempt(s) (gave up: ${ctx.gaveUp?.reason ?? 'budget'}). The read can be re-run; see status.cloud.microsoft for outages.`,
      ctx.attempts,
      fields,
    );
  }
  return new EntraResponseError(
    `${head}. This request is not understood by Graph; it is a defect of this reader or an unsupported tenant feature: report it with the request id ${g.requestId ?? '(none)'}.`,
    fields,
  );
}
