import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo, type LocalDynamo } from '../../local/dynamo.js';

/** The first IPv4 address of this machine that is not loopback, if any. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
if (!outside) console.warn('SKIPPED: no non-loopback IPv4 address on this machine to probe DynamoDB Local from.');

/** 'open' if a TCP connection to host:port is accepted, else the error code. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 3_000 });
    s.once('connect', () => (s.destroy(), resolve('open')));
    s.once('timeout', () => (s.destroy(), resolve('timeout')));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe.skipIf(!outside)('DynamoDB Local listens on loopback only', () => {
  let dynamo: LocalDynamo;
  let port: number;
  beforeAll(async () => {
    dynamo = await startDynamo({ timeoutMs: 60_000 });
    port = Number(new URL(dynamo.endpoint).port);
  }, 90_000);
  afterAll(() => dynamo?.stop());

  it('answers on 127.0.0.1', async () => {
    expect(await probe('127.0.0.1', port)).toBe('open');
  });

  it(`refuses connections on this machine's other address (${outside})`, async () => {
    expect(await probe(outside!, port)).not.toBe('open');
  });
});
