import { describe, expect, it } from 'vitest';
import { secretSealer } from '../../lambdas/approval/signin/seal.js';

const NOW = Date.UTC(2026, 11, 2, 17, 0, 0);
const HOUR = 3_600_000;
const sealer = (secret = 'the-sign-in-client-secret') => secretSealer(async () => secret);

describe('secretSealer: sealed (encrypted, authenticated, expiring) cookie values', () => {
  it('opens what it sealed, for the same purpose, before it expires', async () => {
    const s = sealer();
    const payload = { st: 'state-1', no: 'nonce-1', n: 3, id: { oid: 'o', amr: ['pwd'] } };
    const value = await s.seal('flow', payload, NOW + HOUR);
    expect(await s.open('flow', value, NOW)).toMatchObject({ ...payload, pur: 'flow', exp: (NOW + HOUR) / 1000 });
    // Another sealer with the same secret (another Lambda instance) opens it too.
    expect(await sealer().open('flow', value, NOW + HOUR - 1000)).toMatchObject(payload);
  });

  it('reveals nothing of the payload: a compact JWE (dir, A256GCM), not a readable token', async () => {
    const value = await sealer().seal('session', { username: 'it-admin@example.com' }, NOW + HOUR);
    expect(value.split('.')).toHaveLength(5);
    const header = JSON.parse(Buffer.from(value.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(value).not.toContain('it-admin');
    expect(Buffer.from(value.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('it-admin');
    // The same payload sealed twice differs (a fresh IV each time).
    expect(await sealer().seal('session', { username: 'it-admin@example.com' }, NOW + HOUR)).not.toBe(value);
  });

  it('refuses a value sealed for another purpose (a flow cookie is no session)', async () => {
    const s = sealer();
    const flow = await s.seal('flow', { st: 'x' }, NOW + HOUR);
    expect(await s.open('session', flow, NOW)).toBeUndefined();
    expect(await s.open('flow', flow, NOW)).toBeDefined();
  });

  it('refuses a tampered value: any changed part of the JWE', async () => {
    const s = sealer();
    const value = await s.seal('session', { id: 'someone' }, NOW + HOUR);
    const parts = value.split('.');
    for (const i of [0, 2, 3, 4]) {
      const changed = [...parts];
      const p = changed[i]!;
      changed[i] = `${p.slice(0, 4)}${p[4] === 'A' ? 'B' : 'A'}${p.slice(5)}`;
      expect(await s.open('session', changed.join('.'), NOW), `part ${i}`).toBeUndefined();
    }
    expect(await s.open('session', `${value}x`, NOW)).toBeUndefined();
    expect(await s.open('session', value.slice(0, -1), NOW)).toBeUndefined();
    expect(await s.open('session', 'not-a-jwe', NOW)).toBeUndefined();
  });

  it('refuses an expired value', async () => {
    const s = sealer();
    const value = await s.seal('session', { id: 'someone' }, NOW + 10 * 60_000);
    expect(await s.open('session', value, NOW + 9 * 60_000)).toBeDefined();
    expect(await s.open('session', value, NOW + 10 * 60_000)).toBeUndefined();
    expect(await s.open('session', value, NOW + 11 * 60_000)).toBeUndefined();
  });

  it('refuses a value sealed under another secret (a rotated secret ends every session)', async () => {
    const value = await sealer('old-secret').seal('session', { id: 'someone' }, NOW + HOUR);
    expect(await sealer('new-secret').open('session', value, NOW)).toBeUndefined();
    expect(await sealer('old-secret').open('session', value, NOW)).toBeDefined();
  });

  it('follows a secret that changes under the same sealer', async () => {
    let secret = 'first';
    const s = secretSealer(async () => secret);
    const first = await s.seal('session', { v: 1 }, NOW + HOUR);
    secret = 'second';
    expect(await s.open('session', first, NOW)).toBeUndefined();
    const second = await s.seal('session', { v: 2 }, NOW + HOUR);
    expect(await s.open('session', second, NOW)).toMatchObject({ v: 2 });
    secret = 'first';
    expect(await s.open('session', first, NOW)).toMatchObject({ v: 1 });
  });

  it('refuses a missing, empty or over-long (more than 8 KiB) value without trying to decrypt it', async () => {
    const s = sealer();
    expect(await s.open('session', undefined, NOW)).toBeUndefined();
    expect(await s.open('session', '', NOW)).toBeUndefined();
    // A genuine value that is too long: refused on its length alone.
    const long = await s.seal('session', { pad: 'x'.repeat(7000) }, NOW + HOUR);
    expect(long.length).toBeGreaterThan(8192);
    expect(await s.open('session', long, NOW)).toBeUndefined();
    // A genuine value just under the limit opens.
    const fits = await s.seal('session', { pad: 'x'.repeat(6000) }, NOW + HOUR);
    expect(fits.length).toBeLessThanOrEqual(8192);
    expect(await s.open('session', fits, NOW)).toMatchObject({ pad: 'x'.repeat(6000) });
  });
});
