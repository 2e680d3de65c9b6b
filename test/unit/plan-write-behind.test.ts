import { describe, expect, it } from 'vitest';
import { WriteBehind } from '../../lambdas/plan/write-behind.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('WriteBehind: page writes behind the reads', () => {
  it('runs writes one at a time, in order, and returns before they finish', async () => {
    const w = new WriteBehind(2);
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const write = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      log.push(`start ${n}`);
      await tick();
      log.push(`end ${n}`);
      running -= 1;
    };
    await w.add(write(1));
    log.push('read 2');
    await w.add(write(2));
    await w.add(write(3));
    await w.drain();
    expect(most).toBe(1);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start 1', 'start 2', 'start 3']);
    expect(log.indexOf('read 2')).toBeLessThan(log.indexOf('end 1'));
  });

  it('holds the reader back once `depth` batches are queued', async () => {
    const w = new WriteBehind(1);
    let done = 0;
    const slow = async () => {
      await tick();
      await tick();
      done += 1;
    };
    await w.add(slow);
    expect(done).toBe(0);
    await w.add(slow);
    expect(done).toBeGreaterThanOrEqual(1);
    await w.drain();
    expect(done).toBe(2);
  });

  it('a failed write fails the next add and drain, and nothing is written after it', async () => {
    const w = new WriteBehind(3);
    const written: number[] = [];
    await w.add(async () => {
      await tick();
      throw new Error('store down');
    });
    await w.add(async () => void written.push(2)).catch(() => undefined);
    await expect(w.drain()).rejects.toThrow('store down');
    await expect(w.add(async () => void written.push(3))).rejects.toThrow('store down');
    expect(written).toEqual([]);
  });

  it('settle waits for queued writes without throwing', async () => {
    const w = new WriteBehind(2);
    let finished = false;
    await w.add(async () => {
      await tick();
      finished = true;
    });
    await w.add(async () => {
      throw new Error('x');
    });
    await w.settle();
    expect(finished).toBe(true);
  });

  it('refuses a depth below 1', () => {
    expect(() => new WriteBehind(0)).toThrow('depth');
  });
});
