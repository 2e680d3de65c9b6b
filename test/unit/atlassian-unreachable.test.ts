import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BudgetExhaustedError } from '../../lambdas/atlassian/index.js';
import { Transport } from '../../lambdas/atlassian/transport.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';

const KEY = 'ATSECRET-key-unreachable-0123';

function transportFailingWith(code: string) {
  const refused = (() =>
    Promise.reject(
      new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }),
    )) as unknown as typeof fetch;
  return new Transport({
    baseUrl: 'http://127.0.0.1:9',
    apiKey: KEY,
    clock: new ManualClock(),
    logger: memoryLogger(),
    fetch: refused,
    random: () => 0.5,
  });
}

const send = (t: Transport) =>
  t.send({ cls: 'users-read', method: 'GET', template: '/x', path: '/x', schema: z.object({}) }).then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );

describe('an atlassian.baseUrl nobody answers on', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND'])('%s names atlassian.baseUrl and its value', async (code) => {
    const err = await send(transportFailingWith(code));
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect(err.message).toContain(
      `atlassian.baseUrl http://127.0.0.1:9 could not be reached (connection failed (${code}))`,
    );
    expect(err.message).toContain('Check atlassian.baseUrl');
    expect(err.message).not.toContain(KEY);
  });

  it('a reset mid-answer keeps the "Atlassian may be degraded" wording', async () => {
    const err = await send(transportFailingWith('ECONNRESET'));
    expect(err.message).toContain('Atlassian may be degraded');
    expect(err.message).not.toContain('atlassian.baseUrl');
  });
});
