import { describe, expect, it } from 'vitest';
import { ADMIN_LIST_MAX_AGE_MS, orgAdminsFor } from '../../lambdas/execute/org-admins.js';
import type { OrgWriter } from '../../lambdas/execute/ports.js';

/** An org whose admin list is `admins` at the time of each read; counts the reads. */
function fakeOrg(admins: string[][]) {
  let reads = 0;
  const org = {
    orgAdminIds: async () => new Set(admins[Math.min(reads++, admins.length - 1)]),
  } as unknown as OrgWriter;
  return { org, reads: () => reads };
}

const START = Date.parse('2026-12-02T10:00:00Z');

describe('execution: the org admin list of a run', () => {
  it('is read once and reused by the next chunks of the same run while younger than the max age', async () => {
    const f = fakeOrg([['a1'], ['a1', 'a2']]);
    expect(await orgAdminsFor(f.org, 'p#MAIN', START, START + 1_000)).toEqual(new Set(['a1']));
    expect(await orgAdminsFor(f.org, 'p#MAIN', START, START + 60_000)).toEqual(new Set(['a1']));
    expect(f.reads()).toBe(1);
    // Past the max age the list is read again: an admin made during the run is found.
    expect(await orgAdminsFor(f.org, 'p#MAIN', START, START + 1_000 + ADMIN_LIST_MAX_AGE_MS)).toEqual(
      new Set(['a1', 'a2']),
    );
    expect(f.reads()).toBe(2);
  });

  it('is never reused by another run, nor when it was read before this run started', async () => {
    const f = fakeOrg([['a1'], ['a2'], ['a3'], ['a4']]);
    await orgAdminsFor(f.org, 'p#MAIN', START, START + 1_000);
    expect(await orgAdminsFor(f.org, 'q#MAIN', START, START + 2_000)).toEqual(new Set(['a2']));
    expect(await orgAdminsFor(f.org, 'q#UNDO', START, START + 3_000)).toEqual(new Set(['a3']));
    // The same key started again later (a new run of the round): the list read before it is not used.
    expect(await orgAdminsFor(f.org, 'q#UNDO', START + 5_000, START + 6_000)).toEqual(new Set(['a4']));
    expect(f.reads()).toBe(4);
  });

  it('is read every time when the run start is unknown, and a failed read is not kept', async () => {
    let calls = 0;
    const org = {
      orgAdminIds: async () => {
        calls += 1;
        if (calls === 2) throw new Error('503');
        return new Set(['a1']);
      },
    } as unknown as OrgWriter;
    await orgAdminsFor(org, 'p#MAIN', Number.NaN, START);
    await expect(orgAdminsFor(org, 'p#MAIN', Number.NaN, START + 1)).rejects.toThrow('503');
    expect(await orgAdminsFor(org, 'p#MAIN', START, START + 2)).toEqual(new Set(['a1']));
    expect(await orgAdminsFor(org, 'p#MAIN', START, START + 3)).toEqual(new Set(['a1']));
    expect(calls).toBe(3);
  });
});
