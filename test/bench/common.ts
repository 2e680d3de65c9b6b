/**
 * What the benchmark runs share: the Atlassian simulator in its own process with per-class limits,
 * a DynamoDB client that counts requests and items, a memory sampler, and the lower bound.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamo.js';
import type { AwsClients } from '../../lambdas/wiring/index.js';
import { jsonLogger, type Logger } from '../../lambdas/shared/index.js';
import { TABLES, type IndexDef, type KeyDef, type TableDef } from '../../lambdas/store/tables.js';
import { ROUTES, type EndpointClass, type RateLimit, type SimControlCounts } from '../sim/atlassian/index.js';
import { startSimCli } from './sim-processes.js';

export const KEY = 'bench-key';
export type Limits = Record<EndpointClass, RateLimit>;

/** `users-read=17,last-active=3,user-write=17,policy=17` with one window for all (ms). */
export function parseLimits(spec: string, windowMs: number): Limits {
  const out = {} as Limits;
  for (const part of spec.split(',')) {
    const [cls, n] = part.split('=');
    out[cls as EndpointClass] = { limit: Number(n), windowMs };
  }
  return out;
}

export async function startBenchSim(users: number, limits: Limits, extra: string[] = []) {
  const s = await startSimCli(
    '../bench/sim-server.ts',
    ['--users', String(users), '--seed', '7', '--limits', JSON.stringify(limits), ...extra],
    /listening on (http:\/\/[\d.:]+)/,
  );
  const url = s.match[1]!;
  return {
    url,
    stop: () => s.proc.stop(),
    counts: async () => (await (await fetch(`${url}/__sim/counts`)).json()) as SimControlCounts,
    resetLog: async () => void (await fetch(`${url}/__sim/reset-log`, { method: 'POST' })),
    mutations: async () =>
      (await (await fetch(`${url}/__sim/mutations`)).json()) as { accountId?: string; kind: string; outcome: string }[],
  };
}

const classOf = new Map(ROUTES.map((r) => [`${r.method} ${r.template}`, r.cls]));
export const endpointClass = (key: string): EndpointClass | undefined => classOf.get(key);

/** Requests per class from the simulator's per-endpoint counts. */
export function perClass(byEndpoint: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(byEndpoint)) {
    const c = endpointClass(k) ?? 'other';
    out[c] = (out[c] ?? 0) + n;
  }
  return out;
}

/**
 * The lower bound: for each class, the requests that passed ÷ the class's allowed rate; the
 * slowest class sets it. (429ed requests spend no budget, so they are not "needed".)
 */
export function lowerBound(
  passedPerClass: Record<string, number>,
  limits: Limits,
): { ms: number; cls: string; perClassMs: Record<string, number> } {
  let worst = { ms: 0, cls: 'none' };
  const perClassMs: Record<string, number> = {};
  for (const [cls, n] of Object.entries(passedPerClass)) {
    const l = limits[cls as EndpointClass];
    if (!l) continue;
    const ms = (n / l.limit) * l.windowMs;
    perClassMs[cls] = Math.round(ms);
    if (ms > worst.ms) worst = { ms, cls };
  }
  return { ms: Math.round(worst.ms), cls: worst.cls, perClassMs };
}

/** Requests that passed the limiter (all minus 429s), per class. */
export async function passedPerClass(
  requests: { method: string; template: string; status: number; endpointClass?: string }[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of requests)
    if (r.status !== 429 && r.endpointClass) out[r.endpointClass] = (out[r.endpointClass] ?? 0) + 1;
  return out;
}

export interface DynamoCounts {
  requests: number;
  items: number;
  byCommand: Record<string, { requests: number; items: number; ms: number }>;
  /** Items written per table (Put/Update/Delete, batch and transaction items), for the cost model. */
  writesByTable: Record<string, number>;
  /** Wall time (ms) with at least one request to the store outstanding: the run's time spent waiting on it, overlaps counted once. */
  busyMs: number;
  /**
   * Capacity units as DynamoDB would bill them on demand, from the ConsumedCapacity DynamoDB Local
   * returns (ReturnConsumedCapacity INDEXES is asked for on every request): item sizes rounded up
   * (1 KB a write unit, 4 KB a read unit), each global secondary index the write lands in, and
   * filtered reads charged for what they read, not what they return. Transactions are computed
   * from their items instead (transactionUnits): AWS bills their table writes twice ("transactional
   * write requests require 2 write request units", https://aws.amazon.com/dynamodb/pricing/on-demand/),
   * and DynamoDB Local reports them from the summed size.
   */
  writeUnits: number;
  readUnits: number;
  /**
   * KB the writes put in tables and index copies, as DynamoDB bills storage (storedBytes): each
   * item's size plus 100 bytes, and per index copy what that index projects plus 100 bytes. An
   * upper bound: an update is counted as growth by the values it sets, a delete frees nothing.
   */
  storedKb: number;
  /** How storedKb was counted: 'bytes' (storedBytes); results without it counted 1 KB per table and index copy. */
  storage: 'bytes';
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const WRITE_COMMANDS = new Set([...WRITES, 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
const READ_COMMANDS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

interface Consumed {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/**
 * An item's size as DynamoDB counts it (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute names plus values; a number is 1 byte per two significant digits plus 1; a List or a
 * Map is 3 bytes plus its elements, each 1 byte more.
 */
function numberBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}
function valueBytes(v: Record<string, any>): number {
  const [type, x] = Object.entries(v)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(x));
    case 'N':
      return numberBytes(String(x));
    case 'B':
      return (x as Uint8Array).length;
    case 'M':
      return (
        3 +
        Object.entries(x as Record<string, any>).reduce((n, [k, e]) => n + 1 + Buffer.byteLength(k) + valueBytes(e), 0)
      );
    case 'L':
      return 3 + (x as Record<string, any>[]).reduce((n, e) => n + 1 + valueBytes(e), 0);
    case 'SS':
      return (x as string[]).reduce((n, e) => n + Buffer.byteLength(e), 0);
    case 'NS':
      return (x as string[]).reduce((n, e) => n + numberBytes(e), 0);
    case 'BS':
      return (x as Uint8Array[]).reduce((n, e) => n + e.length, 0);
    default:
      return 1;
  }
}
const itemBytes = (item: Record<string, any>): number =>
  Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueBytes(v), 0);

/**
 * Write units of a TransactWriteItems as AWS bills them, from its input: DynamoDB Local reports a
 * transaction's capacity from the summed size of its items and without doubling (10 puts of 1.5 KB:
 * 4 units where AWS bills 2 × 2 × 10), so it is computed here: per item, its size rounded up to
 * 1 KB, twice for the table (a transaction's prepare and commit) and once more per global
 * secondary index whose keys (both, where it has a sort key) the item carries (the item's units for
 * an index that projects it all, one for a keys-only index). An Update or a Delete, whose stored size is not in the
 * request, is counted as one 1 KB item in the table (a lower bound). Failed requests (a condition
 * not met) are not counted.
 */
function transactionUnits(input: Record<string, any>): number {
  let units = 0;
  for (const action of (input.TransactItems ?? []) as Record<string, Record<string, any>>[]) {
    const [kind, body] = Object.entries(action)[0] ?? [];
    if (!kind || !body || kind === 'ConditionCheck') continue;
    const def = tableOf(body.TableName);
    if (kind !== 'Put' || !def) {
      units += 2;
      continue;
    }
    const kb = Math.max(1, Math.ceil(itemBytes(body.Item) / 1024));
    // A keys-only index copy is small: one unit, whatever the item's size.
    units += 2 * kb + indexesOf(def, body.Item).reduce((n, i) => n + (i.projection === 'KEYS_ONLY' ? 1 : kb), 0);
  }
  return units;
}

const tableOf = (name: unknown): TableDef | undefined => TABLES.find((t) => String(name).endsWith(`-${t.id}`));

/** The indexes an item lands in: those whose keys (both, where the index has a sort key) it carries. */
const indexesOf = (def: TableDef, item: Record<string, any>): IndexDef[] =>
  def.indexes.filter(
    (i) => item[i.partitionKey.name] !== undefined && (!i.sortKey || item[i.sortKey.name] !== undefined),
  );

/** DynamoDB's per-item storage overhead, in the table and in each index copy. */
const ITEM_OVERHEAD = 100;

/**
 * Bytes a new item adds to storage: its size plus 100 bytes in the table, and per index it lands
 * in, what the index holds (the whole item, or for a keys-only index the table's and the index's
 * key attributes) plus 100 bytes. From the DynamoDB developer guide: "Storage considerations for
 * global secondary indexes" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html)
 * and the item size rules (CapacityUnitCalculations.html).
 */
export function storedBytes(def: TableDef | undefined, item: Record<string, any>): number {
  const whole = itemBytes(item) + ITEM_OVERHEAD;
  if (!def) return whole;
  const keyBytes = (names: (KeyDef | undefined)[]) =>
    [...new Set(names.flatMap((k) => (k ? [k.name] : [])))].reduce(
      (n, name) => n + (item[name] === undefined ? 0 : Buffer.byteLength(name) + valueBytes(item[name])),
      0,
    );
  return indexesOf(def, item).reduce(
    (n, i) =>
      n +
      (i.projection === 'KEYS_ONLY'
        ? keyBytes([def.partitionKey, def.sortKey, i.partitionKey, i.sortKey]) + ITEM_OVERHEAD
        : whole),
    whole,
  );
}

/** What one write request adds to storage (storedBytes per new item; an update, the values it sets). */
function writeStoredBytes(command: string, input: Record<string, any>): number {
  const update = (body: Record<string, any>) => {
    const def = tableOf(body.TableName);
    const copies = 1 + (def?.indexes.filter((i) => (i.projection ?? 'ALL') === 'ALL').length ?? 0);
    const values = Object.values((body.ExpressionAttributeValues ?? {}) as Record<string, any>);
    return copies * values.reduce((n: number, v) => n + valueBytes(v), 0);
  };
  switch (command) {
    case 'PutItemCommand':
      return storedBytes(tableOf(input.TableName), input.Item);
    case 'UpdateItemCommand':
      return update(input);
    case 'BatchWriteItemCommand':
      return Object.entries((input.RequestItems ?? {}) as Record<string, Record<string, any>[]>).reduce(
        (n, [table, requests]) =>
          n + requests.reduce((m, r) => m + (r.PutRequest ? storedBytes(tableOf(table), r.PutRequest.Item) : 0), 0),
        0,
      );
    case 'TransactWriteItemsCommand':
      return ((input.TransactItems ?? []) as Record<string, Record<string, any>>[]).reduce((n, action) => {
        if (action.Put) return n + storedBytes(tableOf(action.Put.TableName), action.Put.Item);
        if (action.Update) return n + update(action.Update);
        return n;
      }, 0);
    default:
      return 0;
  }
}

/** Base-table and index units of one response's ConsumedCapacity (one entry, or one per table). */
function consumed(output: Record<string, any> | undefined): { table: number; indexes: number } {
  const raw = output?.ConsumedCapacity as Consumed | Consumed[] | undefined;
  let table = 0;
  let indexes = 0;
  for (const c of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
    const idx = [c.GlobalSecondaryIndexes, c.LocalSecondaryIndexes]
      .flatMap((m) => Object.values(m ?? {}))
      .reduce((n, i) => n + (i.CapacityUnits ?? 0), 0);
    indexes += idx;
    table += c.Table?.CapacityUnits ?? (c.CapacityUnits ?? 0) - idx;
  }
  return { table, indexes };
}

function writtenTables(command: string, input: Record<string, any>): [string, number][] {
  if (WRITES.has(command)) return [[String(input.TableName), 1]];
  if (command === 'BatchWriteItemCommand')
    return Object.entries((input.RequestItems ?? {}) as Record<string, unknown[]>).map(([t, l]) => [t, l.length]);
  if (command === 'TransactWriteItemsCommand')
    return ((input.TransactItems ?? []) as Record<string, { TableName?: string }>[]).map((t) => [
      String(Object.values(t)[0]?.TableName),
      1,
    ]);
  return [];
}

function itemsOf(command: string, input: Record<string, any>, output: Record<string, any> | undefined): number {
  switch (command) {
    case 'BatchWriteItemCommand':
      return Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>).reduce((n, l) => n + l.length, 0);
    case 'BatchGetItemCommand':
      return Object.values((output?.Responses ?? {}) as Record<string, unknown[]>).reduce((n, l) => n + l.length, 0);
    case 'TransactWriteItemsCommand':
    case 'TransactGetItemsCommand':
      return (input.TransactItems as unknown[] | undefined)?.length ?? 0;
    case 'QueryCommand':
    case 'ScanCommand':
      return (output?.Items as unknown[] | undefined)?.length ?? 0;
    case 'GetItemCommand':
      return output?.Item ? 1 : 0;
    default:
      return 1;
  }
}

/** A DynamoDB Local client whose middleware counts requests and items per command. */
export function countingDynamo(endpoint: string): { db: DynamoDBClient; counts: DynamoCounts; reset(): void } {
  const db = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const counts: DynamoCounts = {
    requests: 0,
    items: 0,
    byCommand: {},
    writesByTable: {},
    busyMs: 0,
    writeUnits: 0,
    readUnits: 0,
    storedKb: 0,
    storage: 'bytes',
  };
  let outstanding = 0;
  let busySince = 0;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      const input = args.input as Record<string, any>;
      if ((WRITE_COMMANDS.has(name) || READ_COMMANDS.has(name)) && input.ReturnConsumedCapacity === undefined)
        input.ReturnConsumedCapacity = 'INDEXES';
      const t0 = performance.now();
      if (outstanding++ === 0) busySince = t0;
      let result;
      try {
        result = await next(args);
      } finally {
        if (--outstanding === 0) counts.busyMs += Math.round(performance.now() - busySince);
      }
      const command = name;
      const units = consumed(result.output as Record<string, any>);
      if (command === 'TransactWriteItemsCommand') counts.writeUnits += transactionUnits(input);
      else if (WRITE_COMMANDS.has(command)) counts.writeUnits += units.table + units.indexes;
      else if (READ_COMMANDS.has(command)) counts.readUnits += units.table + units.indexes;
      if (WRITE_COMMANDS.has(command)) counts.storedKb += writeStoredBytes(command, input) / 1024;
      const items = itemsOf(command, args.input as Record<string, any>, result.output as Record<string, any>);
      const c = (counts.byCommand[command] ??= { requests: 0, items: 0, ms: 0 });
      c.ms += Math.round(performance.now() - t0);
      c.requests += 1;
      c.items += items;
      counts.requests += 1;
      counts.items += items;
      for (const [table, n] of writtenTables(command, args.input as Record<string, any>)) {
        const kind = table.replace(/^.*-/, '');
        counts.writesByTable[kind] = (counts.writesByTable[kind] ?? 0) + n;
      }
      return result;
    },
    { step: 'initialize', name: 'benchCounter' },
  );
  return {
    db,
    counts,
    reset() {
      counts.requests = counts.items = counts.busyMs = 0;
      counts.writeUnits = counts.readUnits = counts.storedKb = 0;
      counts.byCommand = {};
      counts.writesByTable = {};
    },
  };
}

/** AwsClients with only the DynamoDB client (the plan and execution here never reach Secrets Manager). */
export function benchClients(db: DynamoDBClient, ses?: AwsClients['ses']): AwsClients {
  return {
    db,
    get ses() {
      if (!ses) throw new Error('no SES client in this benchmark');
      return ses;
    },
    get secrets(): never {
      throw new Error('no Secrets Manager in the benchmark');
    },
  };
}

export interface MemoryFigures {
  /** Peak resident set size of this process over its life (getrusage maxrss). */
  peakRssMB: number;
  /** Highest RSS sampled every 50 ms during the measured work only. */
  peakRssDuringMB: number;
  /** Highest heapUsed sampled every 50 ms (garbage included). */
  peakHeapMB: number;
  /** Highest heapUsed right after a full GC, sampled every 5 s: memory the process holds. */
  peakLiveHeapMB: number;
  /** Highest heap V8 has reserved (heapTotal), sampled every 50 ms. */
  peakHeapTotalMB: number;
  /** Highest memory of C++ objects bound to JS objects (Buffers, sockets, zlib), sampled every 50 ms. */
  peakExternalMB: number;
  /** Highest memory of ArrayBuffers and Buffers alone (part of external), sampled every 50 ms. */
  peakArrayBuffersMB: number;
}

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

/** Samples memory while `work` runs (node --expose-gc for the live heap). */
export async function withMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; wallMs: number; memory: MemoryFigures }> {
  global.gc?.();
  let peakHeap = process.memoryUsage().heapUsed;
  let peakLive = peakHeap;
  let peakRss = process.memoryUsage().rss;
  let peakExternal = 0;
  let peakHeapTotal = 0;
  let peakArrayBuffers = 0;
  const fast = setInterval(() => {
    const u = process.memoryUsage();
    peakHeap = Math.max(peakHeap, u.heapUsed);
    peakRss = Math.max(peakRss, u.rss);
    peakExternal = Math.max(peakExternal, u.external);
    peakHeapTotal = Math.max(peakHeapTotal, u.heapTotal);
    peakArrayBuffers = Math.max(peakArrayBuffers, u.arrayBuffers);
  }, 50);
  const slow = setInterval(() => {
    global.gc?.();
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  }, 5_000);
  const t0 = performance.now();
  try {
    const result = await work();
    const wallMs = Math.round(performance.now() - t0);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    global.gc?.();
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
    return {
      result,
      wallMs,
      memory: {
        peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
        peakRssDuringMB: mb(peakRss),
        peakHeapMB: mb(peakHeap),
        peakLiveHeapMB: mb(peakLive),
        peakHeapTotalMB: mb(peakHeapTotal),
        peakExternalMB: mb(peakExternal),
        peakArrayBuffersMB: mb(peakArrayBuffers),
      },
    };
  } finally {
    clearInterval(fast);
    clearInterval(slow);
  }
}

export async function loadAverage(): Promise<number[]> {
  const { loadavg } = await import('node:os');
  return loadavg().map((x) => +x.toFixed(2));
}

/** The product's JSON-lines logger writing nowhere, counting the bytes it would send to CloudWatch. */
export function countingLogger(): { logger: Logger; stats: { lines: number; bytes: number } } {
  const stats = { lines: 0, bytes: 0 };
  const logger = jsonLogger({
    write: (line) => {
      stats.lines += 1;
      stats.bytes += Buffer.byteLength(line) + 1;
    },
  });
  return { logger, stats };
}
