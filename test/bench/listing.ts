/**
 * Benchmark of the managed-accounts listing (npm run bench). Prints and writes to
 * test/bench/results/listing.{json,md}:
 *  1. v1 vs v2 listing against the simulator in its own process (real clock, default limits):
 *     requests, API calls per user, wall time, peak heap of the client process, for growing orgs.
 *  2. Pacing against a tight limit (manual clock shared with an in-process simulator): requests
 *     per window against the limit, 429s drawn, simulated time against the lower bound.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AtlassianClient, type Listing } from '../../lambdas/atlassian/index.js';
import { ManualClock, silentLogger, systemClock } from '../../lambdas/shared/index.js';
import { startSimCli } from './sim-processes.js';
import { startAtlassianSim } from '../sim/atlassian/index.js';
import { SYNTHETIC_IDS, syntheticOrg } from '../sim/org/index.js';

const KEY = 'bench-key';
const sizes = (process.env.BENCH_SIZES ?? '10000,50000').split(',').map(Number);

async function startSimProcess(users: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const { proc, match } = await startSimCli(
    'atlassian/cli.ts',
    ['--users', String(users), '--seed', '7', '--api-key', KEY],
    /listening on (http:\/\/[\d.:]+)/,
  );
  return { url: match[1]!, stop: () => proc.stop() };
}

interface ListingFigures {
  users: number;
  listing: Listing;
  accounts: number;
  requests: number;
  callsPerUser: number;
  wallMs: number;
  peakHeapMB: number;
  heapBeforeMB: number;
}

async function measureListing(url: string, users: number, listing: Listing): Promise<ListingFigures> {
  const client = new AtlassianClient({
    baseUrl: url,
    apiKey: KEY,
    orgId: SYNTHETIC_IDS.orgId,
    clock: systemClock,
    logger: silentLogger,
  });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  let accounts = 0;
  const t0 = performance.now();
  for await (const page of client.pages({ listing })) {
    accounts += page.accounts.length;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const wallMs = performance.now() - t0;
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  return {
    users,
    listing,
    accounts,
    requests: client.stats.requests,
    callsPerUser: client.stats.requests / accounts,
    wallMs: Math.round(wallMs),
    peakHeapMB: mb(peak),
    heapBeforeMB: mb(heapBefore),
  };
}

async function pacing(users: number, limit: number) {
  const clock = new ManualClock();
  const org = syntheticOrg({ size: users, seed: 7 });
  const sim = await startAtlassianSim({
    org,
    apiKey: KEY,
    clock: () => clock.now(),
    rateLimits: { 'users-read': { limit, windowMs: 60_000 } },
  });
  try {
    const client = new AtlassianClient({
      baseUrl: sim.url,
      apiKey: KEY,
      orgId: org.orgId,
      clock,
      logger: silentLogger,
    });
    const start = clock.now();
    for await (const _page of client.pages({ listing: 'v2' })) void _page;
    const requests = client.stats.requests;
    const simulatedMs = clock.now() - start;
    // Fixed windows: `requests` need at least ceil(requests / limit) windows, i.e. that many minus one resets.
    const lowerBoundMs = (Math.ceil(requests / limit) - 1) * 60_000;
    const c = sim.counters();
    return {
      users,
      limit,
      requests,
      throttled: c.throttled,
      peakPerWindow: c.peakPerWindow['users-read'],
      simulatedMinutes: +(simulatedMs / 60_000).toFixed(2),
      lowerBoundMinutes: +(lowerBoundMs / 60_000).toFixed(2),
    };
  } finally {
    await sim.stop();
  }
}

const listings: ListingFigures[] = [];
for (const users of sizes) {
  const sim = await startSimProcess(users);
  try {
    for (const listing of ['v2', 'v1'] as const) {
      const f = await measureListing(sim.url, users, listing);
      listings.push(f);
      console.log(
        `listing ${listing} ${users} users: ${f.requests} requests (${f.callsPerUser.toFixed(4)} per user), ${f.wallMs} ms, client heap ${f.heapBeforeMB} -> peak ${f.peakHeapMB} MB`,
      );
    }
  } finally {
    await sim.stop();
  }
}
const paced = [await pacing(10_000, 20), await pacing(10_000, 60)];
for (const p of paced)
  console.log(
    `pacing ${p.users} users at ${p.limit}/min: ${p.requests} requests, peak ${p.peakPerWindow}/window (limit ${p.limit}), ${p.throttled} x 429, ${p.simulatedMinutes} min simulated vs lower bound ${p.lowerBoundMinutes} min`,
  );

const out = fileURLToPath(new URL('./results/', import.meta.url));
const results = { when: new Date().toISOString(), node: process.version, listings, pacing: paced };
writeFileSync(`${out}listing.json`, `${JSON.stringify(results, null, 2)}\n`);
const md = [
  '# Listing benchmark (`npm run bench`)',
  '',
  `Node ${process.version}; simulator in its own process on loopback; synthetic org seed 7.`,
  '',
  '| users | listing | accounts | requests | calls/user | wall ms | client heap before → peak (MB) |',
  '|---|---|---|---|---|---|---|',
  ...listings.map(
    (f) =>
      `| ${f.users} | ${f.listing} | ${f.accounts} | ${f.requests} | ${f.callsPerUser.toFixed(4)} | ${f.wallMs} | ${f.heapBeforeMB} → ${f.peakHeapMB} |`,
  ),
  '',
  'Pacing (manual clock shared with the simulator; fixed 60 s windows):',
  '',
  '| users | limit/min | requests | peak per window | 429s | simulated min | lower bound min |',
  '|---|---|---|---|---|---|---|',
  ...paced.map(
    (p) =>
      `| ${p.users} | ${p.limit} | ${p.requests} | ${p.peakPerWindow} | ${p.throttled} | ${p.simulatedMinutes} | ${p.lowerBoundMinutes} |`,
  ),
  '',
];
writeFileSync(`${out}listing.md`, md.join('\n'));
console.log(`written: test/bench/results/listing.json and listing.md`);
