import { describe, expect, it } from 'vitest';
import { readAhead } from '../../lambdas/shared/read-ahead.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('plan: read one page ahead', () => {
  it('yields every page in order and starts reading the next one before the current is processed', async () => {
    const log: string[] = [];
    async function* source() {
      for (let i = 1; i <= 3; i++) {
        log.push(`read ${i}`);
        await tick();
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const page of readAhead(source())) {
      log.push(`process ${page}`);
      await tick();
      seen.push(page);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(log.indexOf('read 2')).toBeLessThan(log.indexOf('process 1') + 1);
    expect(log.indexOf('read 3')).toBeLessThan(log.indexOf('process 2') + 1);
  });

  it('surfaces a failed read when its page is asked for, after the pages before it', async () => {
    async function* source() {
      yield 1;
      await tick();
      throw new Error('listing failed');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of readAhead(source())) seen.push(page);
      })(),
    ).rejects.toThrow('listing failed');
    expect(seen).toEqual([1]);
  });

  it('closes the source when the consumer stops, without an unhandled failure of the page read ahead', async () => {
    let closed = false;
    async function* source() {
      try {
        yield 1;
        await tick();
        throw new Error('never asked for');
      } finally {
        closed = true;
      }
    }
    for await (const page of readAhead(source())) {
      expect(page).toBe(1);
      break;
    }
    expect(closed).toBe(true);
  });

  it("a failed read's error surfaces, and the source is not closed after it (as in for await)", async () => {
    let returns = 0;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          await tick();
          throw new Error('page 1 failed');
        },
        return: async () => {
          returns += 1;
          throw new Error('close failed');
        },
      }),
    };
    await expect(
      (async () => {
        for await (const page of readAhead(source)) expect(page).toBeUndefined();
      })(),
    ).rejects.toThrow('page 1 failed');
    expect(returns).toBe(0);
  });
});
