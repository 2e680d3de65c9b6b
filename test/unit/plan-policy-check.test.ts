import { describe, expect, it } from 'vitest';
import { unseenPolicyAlerts } from '../../lambdas/plan/policy-check.js';

const policies = { billableId: 'pol-sso', nonbillableId: 'pol-free' };

describe('configured policy ids never seen in the policy reads', () => {
  it('names a mistyped billable id, the accounts read and the ids seen, with the fix', () => {
    const alerts = unseenPolicyAlerts(
      { ...policies, billableId: 'pol-ss0' },
      new Map([
        ['pol-sso', 256],
        ['pol-free', 12],
      ]),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('policies.billableId "pol-ss0" is not the policy of any of the 268 accounts read');
    expect(alerts[0]).toContain('policy ids seen: pol-sso (256), pol-free (12)');
    expect(alerts[0]).toContain('admin.atlassian.com');
  });

  it('names both when neither configured id is seen', () => {
    const alerts = unseenPolicyAlerts(policies, new Map([['pol-real', 40]]));
    expect(alerts.map((a) => a.split(' ')[0])).toEqual(['policies.billableId', 'policies.nonbillableId']);
  });

  it('says nothing when both are seen, when nothing was read, or when every account is in a configured policy', () => {
    expect(
      unseenPolicyAlerts(
        policies,
        new Map([
          ['pol-sso', 1],
          ['pol-free', 1],
          ['pol-other', 3],
        ]),
      ),
    ).toEqual([]);
    expect(unseenPolicyAlerts(policies, new Map())).toEqual([]);
    expect(unseenPolicyAlerts(policies, new Map([['pol-free', 2]]))).toEqual([]);
  });

  it('lists at most five of the ids seen', () => {
    const seen = new Map(Array.from({ length: 8 }, (_, i) => [`pol-${i}`, 10 - i] as [string, number]));
    expect(unseenPolicyAlerts(policies, seen)[0]).toContain('pol-4 (6), ...)');
  });
});
