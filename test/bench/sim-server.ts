/**
 * The Atlassian simulator for the benchmark, in its own process (its memory is not the measured
 * process's), with per-class limits as a parameter:
 *   tsx test/bench/sim-server.ts --users 10000 --seed 7 --limits '{"users-read":{"limit":17,"windowMs":1000},...}' [--task-delay-ms 200]
 * A short window (1 s instead of Atlassian's 60 s) at the same or a scaled rate makes large runs take
 * seconds while keeping the client paced against many windows.
 */
import { parseArgs } from 'node:util';
import { startAtlassianSim, type EndpointClass, type RateLimit } from '../sim/atlassian/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { KEY } from './common.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string' },
    seed: { type: 'string', default: '7' },
    limits: { type: 'string', default: '{}' },
    'task-delay-ms': { type: 'string', default: '200' },
  },
});
const org = syntheticOrg({ size: Number(values.users), seed: Number(values.seed) });
const sim = await startAtlassianSim({
  org,
  apiKey: KEY,
  rateLimits: JSON.parse(values.limits!) as Partial<Record<EndpointClass, RateLimit>>,
  taskDelayMs: Number(values['task-delay-ms']),
});
console.log(`bench Atlassian simulator listening on ${sim.url}`);
const stop = () => void sim.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
