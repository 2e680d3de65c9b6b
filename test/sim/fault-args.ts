/**
 * `--faults` of the simulators' command lines: the same fault objects the tests pass in code, as
 * inline JSON or `@file.json`, checked key by key so a typo is refused with the key named (exit 2),
 * never silently ignored.
 */
import { readFileSync } from 'node:fs';
import { ENDPOINT_CLASSES, MALFORMED_KINDS, ADMIN_ROLES_VIEWS, type FaultConfig } from './atlassian/types.js';
import { ROUTE_NAMES, type FaultRule } from './graph/types.js';

export class FaultArgError extends Error {
  override readonly name = 'FaultArgError';
}

function fail(message: string): never {
  throw new FaultArgError(`--faults: ${message}`);
}

/** Inline JSON, or `@path` to a JSON file. */
export function readFaultsArg(text: string): unknown {
  let source = text;
  if (text.startsWith('@')) {
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch (e) {
      fail(`cannot read ${text.slice(1)} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
  }
  try {
    return JSON.parse(source);
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message}); give inline JSON or @file.json`);
  }
}

function keysOnly(where: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(`${where} must be a JSON object`);
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) fail(`${where}: unknown key(s) ${unknown.join(', ')}; expected ${allowed.join(', ')}`);
  return value as Record<string, unknown>;
}

const share = (where: string, v: unknown) => {
  if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1))
    fail(`${where} must be within 0..1, got ${JSON.stringify(v)}`);
};
const whole = (where: string, v: unknown) => {
  if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0))
    fail(`${where} must be a whole number >= 0, got ${JSON.stringify(v)}`);
};

/** Atlassian: `{"users-read": {"status5xxRate": 0.1, "resetRate": 0.05, "delayMs": 200, "storm429": 20, "malformedPages": {...}, "taskFailures": {...}}}`. */
export function atlassianFaults(value: unknown): Partial<Record<(typeof ENDPOINT_CLASSES)[number], FaultConfig>> {
  const byClass = keysOnly('the value (an object keyed by endpoint class)', value, ENDPOINT_CLASSES);
  for (const [cls, raw] of Object.entries(byClass)) {
    const f = keysOnly(cls, raw, [
      'status5xxRate',
      'resetRate',
      'delayMs',
      'malformedPages',
      'storm429',
      'taskFailures',
      'adminRolesInListing',
    ]);
    share(`${cls}.status5xxRate`, f.status5xxRate);
    share(`${cls}.resetRate`, f.resetRate);
    whole(`${cls}.delayMs`, f.delayMs);
    whole(`${cls}.storm429`, f.storm429);
    if (f.malformedPages !== undefined) {
      const m = keysOnly(`${cls}.malformedPages`, f.malformedPages, ['kind', 'pages', 'rate', 'times']);
      if (!MALFORMED_KINDS.includes(m.kind as never))
        fail(`${cls}.malformedPages.kind must be ${MALFORMED_KINDS.join(' or ')}, got ${JSON.stringify(m.kind)}`);
      share(`${cls}.malformedPages.rate`, m.rate);
      whole(`${cls}.malformedPages.times`, m.times);
    }
    if (f.taskFailures !== undefined) {
      const t = keysOnly(`${cls}.taskFailures`, f.taskFailures, ['rate', 'emails']);
      share(`${cls}.taskFailures.rate`, t.rate);
    }
    if (f.adminRolesInListing !== undefined && !ADMIN_ROLES_VIEWS.includes(f.adminRolesInListing as never))
      fail(
        `${cls}.adminRolesInListing must be ${ADMIN_ROLES_VIEWS.join(' or ')}, got ${JSON.stringify(f.adminRolesInListing)}`,
      );
  }
  return byClass as Partial<Record<(typeof ENDPOINT_CLASSES)[number], FaultConfig>>;
}

const GRAPH_FAULT_KINDS: Record<string, readonly string[]> = {
  throttle: ['kind', 'retryAfterSeconds'],
  status: ['kind', 'status', 'retryAfterSeconds'],
  reset: ['kind'],
  slow: ['kind', 'delayMs'],
  malformed: ['kind'],
};

/** Graph: `[{"fault": {"kind": "throttle", "retryAfterSeconds": 5}, "routes": ["batch"], "times": 3}]`. */
export function graphFaults(value: unknown): FaultRule[] {
  if (!Array.isArray(value)) fail('expected a JSON array of rules like [{"fault":{"kind":"throttle"},"times":3}]');
  value.forEach((raw, i) => {
    const r = keysOnly(`rule ${i}`, raw, ['fault', 'routes', 'where', 'times', 'skip']);
    const kind = (r.fault as { kind?: unknown } | undefined)?.kind;
    const keys = typeof kind === 'string' ? GRAPH_FAULT_KINDS[kind] : undefined;
    if (!keys)
      fail(
        `rule ${i}.fault.kind must be one of ${Object.keys(GRAPH_FAULT_KINDS).join(', ')}, got ${JSON.stringify(kind)}`,
      );
    const fault = keysOnly(`rule ${i}.fault`, r.fault, keys);
    if (kind === 'status' && ![500, 502, 503, 504].includes(fault.status as number))
      fail(`rule ${i}.fault.status must be 500, 502, 503 or 504`);
    whole(`rule ${i}.fault.delayMs`, fault.delayMs);
    whole(`rule ${i}.fault.retryAfterSeconds`, fault.retryAfterSeconds);
    const routes = r.routes ?? [];
    if (!Array.isArray(routes) || routes.some((x) => !ROUTE_NAMES.includes(x as never)))
      fail(`rule ${i}.routes must list routes among ${ROUTE_NAMES.join(', ')}`);
    if (r.where !== undefined && !['direct', 'inner', 'any'].includes(r.where as string))
      fail(`rule ${i}.where must be direct, inner or any`);
    whole(`rule ${i}.times`, r.times);
    whole(`rule ${i}.skip`, r.skip);
  });
  return value as FaultRule[];
}
