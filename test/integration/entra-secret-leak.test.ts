// The client secret never reaches a log, an error message, an error's cause, or a printed object, even with
// @azure/identity logging verbosely and an identity provider that echoes the secret it received.
import { inspect } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createEntraDirectory,
  EntraAuthError,
  EntraPermissionError,
  type EntraLogger,
} from '../../lambdas/entra/index.js';
import { SIM_PERMISSIONS, startGraphSim, type GraphSim } from '../sim/graph/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { captureOutput, directoryOptions } from '../helpers/graph.js';

vi.hoisted(() => {
  // Read by @azure/logger when @azure/identity loads: the most talkative setting.
  process.env.AZURE_LOG_LEVEL = 'verbose';
});

const RIGHT = 'R1ght~Secret+value/with=odd&chars';
const WRONG = 'Wr0ng~Secret+value/with=odd&chars';

/** Every spelling a secret can take in text: raw, URL-encoded, form-encoded, JSON-escaped. */
function spellings(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
}
const leaked = (text: string, secret: string) => spellings(secret).filter((s) => text.includes(s));

const consoleLogger: EntraLogger = {
  debug: (m, f) => console.debug(m, f),
  info: (m, f) => console.info(m, f),
  warn: (m, f) => console.warn(m, f),
};

/** Runs a failing read with all output captured, then prints the error the way a handler would. */
async function failingRead(run: () => Promise<unknown>): Promise<{ error: unknown; text: string }> {
  const out = captureOutput();
  let error: unknown;
  try {
    error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    console.error('read failed:', error);
    console.log(inspect(error, { depth: 20, showHidden: true }));
  } finally {
    out.restore();
  }
  const e = error as Error & { cause?: unknown };
  return {
    error,
    text: [
      out.text(),
      String(e?.stack),
      JSON.stringify(e),
      JSON.stringify(e?.cause),
      inspect(e, { depth: 20, showHidden: true }),
    ].join('\n'),
  };
}

describe('the Entra client secret never leaks', () => {
  const org = syntheticOrg({ size: 200, seed: 13 });
  let sim: GraphSim;
  beforeAll(async () => {
    sim = await startGraphSim({ org, clientSecret: RIGHT, echoSecretInErrors: true });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    for (const p of SIM_PERMISSIONS) sim.permissions.add(p);
    sim.resetCounters();
  });

  it('the simulator echoes a wrong secret in its error (the worst case the checks below defend against)', async () => {
    const res = await undiciFetch(`${sim.url}/${sim.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.clientId,
        client_secret: WRONG,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: new Agent({ connect: { ca: sim.ca } }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error_description: string }).error_description).toContain(WRONG);
  });

  it('a wrong secret gives a 401 invalid_client EntraAuthError that carries no secret, with nothing in the logs', async () => {
    const { error, text } = await failingRead(() =>
      createEntraDirectory(directoryOptions(sim, org, { clientSecret: WRONG, logger: consoleLogger })).readMembership(),
    );
    expect(error).toBeInstanceOf(EntraAuthError);
    expect(error).toMatchObject({ code: 'invalid_client' });
    expect((error as Error).message).toMatch(/AADSTS7000215.*client secret VALUE/s);
    expect(sim.counters().byStatus['401']).toBeGreaterThanOrEqual(1);
    expect(text).toContain('azure:identity'); // @azure/identity's verbose log really was captured
    expect(leaked(text, WRONG)).toEqual([]);
    expect(leaked(text, RIGHT)).toEqual([]);
  });

  it('a 403 with the right secret gives EntraPermissionError, and neither it nor the directory prints the secret', async () => {
    sim.permissions.delete('GroupMember.Read.All');
    const directory = createEntraDirectory(directoryOptions(sim, org, { logger: consoleLogger, useBatch: false }));
    const { error, text } = await failingRead(() => directory.readMembership());
    expect(error).toBeInstanceOf(EntraPermissionError);
    expect(sim.counters().byStatus['403']).toBeGreaterThanOrEqual(1);
    const printed = `${text}\n${inspect(directory, { depth: 20, showHidden: true })}\n${JSON.stringify(directory)}`;
    expect(printed).toContain(sim.clientId);
    expect(leaked(printed, RIGHT)).toEqual([]);
  });
});
