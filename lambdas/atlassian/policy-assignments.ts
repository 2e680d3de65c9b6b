import type { PolicyAssignment } from './types.js';

/**
 * The bulk-fetch answer's policy fields are not documented (admin-control.md): keep their parsing
 * here, tolerant of names (`policyId`, `authPolicyId`, `authenticationPolicyId`, a nested
 * `policy.id` ...), and fail clearly when no policy id can be found.
 */
const ID_KEYS = ['policyId', 'authPolicyId', 'authenticationPolicyId', 'id'];
const NAME_KEYS = ['policyName', 'authPolicyName', 'authenticationPolicyName', 'name'];

function pick(obj: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = obj[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

export function toPolicyAssignment(
  raw: Record<string, unknown> & { email: string },
): PolicyAssignment | { error: string } {
  const nested = ['policy', 'authPolicy', 'authenticationPolicy']
    .map((k) => raw[k])
    .find((v) => v && typeof v === 'object') as Record<string, unknown> | undefined;
  const policyId = pick(raw, ID_KEYS.slice(0, 3)) ?? (nested && pick(nested, ID_KEYS));
  if (!policyId)
    return { error: `no policy id in bulk-fetch item for ${raw.email} (fields: ${Object.keys(raw).join(', ')})` };
  const policyName = pick(raw, NAME_KEYS.slice(0, 3)) ?? (nested && pick(nested, NAME_KEYS));
  const accountId =
    typeof raw.accountId === 'string' ? raw.accountId : typeof raw.account_id === 'string' ? raw.account_id : undefined;
  return { email: raw.email, policyId, ...(policyName && { policyName }), ...(accountId && { accountId }) };
}
