/**
 * Contract checks against the Atlassian OpenAPI files in `<repo>/../shared/contracts/atlassian/`
 * (read in place, never copied). Validators return a list of readable errors; empty = matches.
 * When the folder is absent, `contractsAvailable()` is false and the other functions throw, so
 * callers skip with `describe.skipIf(!contractsAvailable())`.
 *
 * OpenAPI 3.0 handling: `nullable` is native to ajv 8; `discriminator` is stripped (the specs use it
 * without `oneOf`, and with boolean tags that ajv's discriminator cannot take; `oneOf` still
 * validates); `example`, `readOnly` and other annotations are tolerated (strict: false); formats
 * come from ajv-formats plus no-op OpenAPI numeric formats. Quirk: user-management's `AccountId`
 * pattern ends in a literal newline (`[a-zA-Z0-9_|:-]{1,128}\n`), a typo of the spec; we read it as
 * `^[a-zA-Z0-9_|:-]{1,128}$` so real ids (in paths and in 409 bodies) validate.
 *
 * Admin Control has no OpenAPI: its operations are validated with the zod schemas written from
 * admin-control.md (test/sim/atlassian/admin-control-contract.ts), behind the same functions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { ADMIN_CONTROL_OPERATIONS, validateAdminControl } from '../sim/atlassian/admin-control-contract.js';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

/** `<repo>/../shared/contracts/atlassian/`, resolved from this file (repo root = two levels up). */
export const CONTRACTS_DIR = fileURLToPath(new URL('../../../shared/contracts/atlassian/', import.meta.url));

const FILES = { organization: 'organization.openapi.json', 'user-management': 'user-management.openapi.json' } as const;
export type OpenApiSpec = keyof typeof FILES;
export type SpecName = OpenApiSpec | 'admin-control';

/** Where each API lives under https://api.atlassian.com (longest prefix first). */
const PREFIXES: readonly { prefix: string; spec: SpecName }[] = [
  { prefix: '/admin/control', spec: 'admin-control' },
  { prefix: '/admin', spec: 'organization' },
  { prefix: '', spec: 'user-management' },
];

export interface OperationMatch {
  readonly spec: SpecName;
  readonly method: string;
  /** The spec's path template, without the server prefix (`/v1/orgs/{orgId}/users`). */
  readonly template: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface Contracts {
  readonly specs: Readonly<Record<OpenApiSpec, any>>;
  readonly ajv: Ajv;
}

let cached: Contracts | null | undefined;

export function contractsAvailable(): boolean {
  return Object.values(FILES).every((f) => existsSync(CONTRACTS_DIR + f));
}

/** Deep copy without `discriminator`, with the AccountId pattern typo read as intended. */
function prepare(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prepare);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'discriminator') continue;
    out[k] = k === 'pattern' && v === '[a-zA-Z0-9_|:-]{1,128}\n' ? '^[a-zA-Z0-9_|:-]{1,128}$' : prepare(v);
  }
  return out;
}

/** The two specs compiled into one ajv instance, or null when the contracts folder is absent. */
export function loadContracts(): Contracts | null {
  if (cached !== undefined) return cached;
  if (!contractsAvailable()) return (cached = null);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true);
  const specs = {} as Record<OpenApiSpec, any>;
  for (const [name, file] of Object.entries(FILES) as [OpenApiSpec, string][]) {
    specs[name] = prepare(JSON.parse(readFileSync(CONTRACTS_DIR + file, 'utf8')));
    ajv.addSchema({ ...specs[name], $id: `${name}.json` });
  }
  return (cached = { specs, ajv });
}

function contracts(): Contracts {
  const c = loadContracts();
  if (!c)
    throw new Error(`Atlassian contracts not found in ${CONTRACTS_DIR}; guard the test with contractsAvailable()`);
  return c;
}

const escape = (p: string) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'));
const unescape = (p: string) => p.replace(/~1/g, '/').replace(/~0/g, '~');
const pointer = (...parts: string[]) => parts.map(escape).join('/');
const validators = new Map<string, ValidateFunction>();

function validatorAt(spec: OpenApiSpec, ptr: string): ValidateFunction {
  const ref = `${spec}.json#/${ptr}`;
  let v = validators.get(ref);
  if (!v) validators.set(ref, (v = contracts().ajv.compile({ $ref: ref })));
  return v;
}

function run(v: ValidateFunction, value: unknown, where: string): string[] {
  if (v(value)) return [];
  return (v.errors ?? []).map(
    (e) => `${where}: ${e.instancePath || '(root)'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`,
  );
}

/** Follows `$ref`s to `#/...` within one spec; returns the target object and its JSON pointer. */
function deref(spec: OpenApiSpec, node: any, ptr: string): { node: any; ptr: string } {
  if (typeof node?.$ref !== 'string' || !node.$ref.startsWith('#/')) return { node, ptr };
  const parts = (node.$ref as string).slice(2).split('/').map(unescape);
  let target: any = contracts().specs[spec];
  for (const p of parts) target = target?.[p];
  return deref(spec, target, pointer(...parts));
}

function operation(spec: OpenApiSpec, method: string, template: string): any {
  return contracts().specs[spec].paths?.[template]?.[method.toLowerCase()];
}

/**
 * Maps a concrete request path (`/admin/v1/orgs/o1/users?cursor=x`, `/users/abc/manage/lifecycle/disable`,
 * `/admin/control/v1/...`) to its spec and path template. The most literal template wins
 * (`users/search` before `users/{userId}`). Null when no operation matches.
 */
export function matchOperation(method: string, path: string): OperationMatch | null {
  const bare = path.split('?')[0]!;
  const { prefix, spec } = PREFIXES.find((p) => bare.startsWith(p.prefix + '/'))!;
  const rest = bare.slice(prefix.length);
  const templates =
    spec === 'admin-control'
      ? ADMIN_CONTROL_OPERATIONS.filter((o) => o.method === method.toUpperCase()).map((o) => o.template)
      : Object.keys(contracts().specs[spec].paths).filter((t) => operation(spec, method, t));
  const segs = rest.split('/');
  let best: { template: string; params: Record<string, string>; literal: number } | undefined;
  for (const template of templates) {
    const tsegs = template.split('/');
    if (tsegs.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let literal = 0;
    const ok = tsegs.every((t, i) => {
      const m = /^\{(.+)\}$/.exec(t);
      if (m) return segs[i] !== '' && ((params[m[1]!] = decodeURIComponent(segs[i]!)), true);
      literal++;
      return t === segs[i];
    });
    if (ok && (!best || literal > best.literal)) best = { template, params, literal };
  }
  return best ? { spec, method: method.toUpperCase(), template: best.template, params: best.params } : null;
}

/**
 * Validates a response body for `method pathTemplate status` (template without the server prefix).
 * A status the spec does not list is an error. A 2xx without documented content must have no body;
 * an error status without documented content accepts any body (nothing to check against).
 */
export function validateResponse(
  spec: SpecName,
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): string[] {
  if (spec === 'admin-control') return validateAdminControl('response', method, pathTemplate, status, body);
  const where = `${method.toUpperCase()} ${pathTemplate} ${status}`;
  const op = operation(spec, method, pathTemplate);
  if (!op) return [`${where}: no such operation in ${spec}`];
  const key = [String(status), 'default'].find((k) => k in op.responses);
  if (!key) return [`${where}: status ${status} not documented (documented: ${Object.keys(op.responses).join(', ')})`];
  const { node, ptr } = deref(
    spec,
    op.responses[key],
    pointer('paths', pathTemplate, method.toLowerCase(), 'responses', key),
  );
  if (!node?.content?.['application/json']?.schema) {
    const empty = body === undefined || body === null || body === '';
    return status < 300 && !empty ? [`${where}: no content is documented, got a body`] : [];
  }
  return run(validatorAt(spec, `${ptr}/${pointer('content', 'application/json', 'schema')}`), body, where);
}

/** Validates a request body (undefined = none sent) against the operation's `requestBody`. */
export function validateRequestBody(spec: SpecName, method: string, pathTemplate: string, body: unknown): string[] {
  if (spec === 'admin-control') return validateAdminControl('request', method, pathTemplate, 0, body);
  const where = `${method.toUpperCase()} ${pathTemplate} request`;
  const op = operation(spec, method, pathTemplate);
  if (!op) return [`${where}: no such operation in ${spec}`];
  if (!op.requestBody) return body === undefined ? [] : [`${where}: the operation takes no body`];
  const { node, ptr } = deref(
    spec,
    op.requestBody,
    pointer('paths', pathTemplate, method.toLowerCase(), 'requestBody'),
  );
  if (body === undefined) return node.required ? [`${where}: the body is required`] : [];
  return run(validatorAt(spec, `${ptr}/${pointer('content', 'application/json', 'schema')}`), body, where);
}

/** Validates path parameters of a matched request against the spec's parameter schemas. */
export function validatePathParams(match: OperationMatch): string[] {
  if (match.spec === 'admin-control') return [];
  const { spec, template } = match;
  const method = match.method.toLowerCase();
  const item = contracts().specs[spec].paths[template];
  const declared = [
    ...(item.parameters ?? []).map((p: unknown, i: number) => ({
      p,
      ptr: pointer('paths', template, 'parameters', String(i)),
    })),
    ...(item[method].parameters ?? []).map((p: unknown, i: number) => ({
      p,
      ptr: pointer('paths', template, method, 'parameters', String(i)),
    })),
  ];
  const errors: string[] = [];
  for (const d of declared) {
    const { node, ptr } = deref(spec, d.p, d.ptr);
    const value = match.params[node?.name];
    if (node?.in !== 'path' || value === undefined) continue;
    errors.push(...run(validatorAt(spec, `${ptr}/schema`), value, `path parameter ${node.name}`));
  }
  return errors;
}

/** Validates a named component schema (e.g. `ProxyError`) against a value. */
export function validateComponent(spec: OpenApiSpec, schemaName: string, value: unknown): string[] {
  return run(validatorAt(spec, pointer('components', 'schemas', schemaName)), value, schemaName);
}

/** A request as a client sent it (e.g. a simulator request record): operation, path params, body. */
export function validateRequest(req: {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}): string[] {
  const match = matchOperation(req.method, req.path);
  if (!match) return [`${req.method} ${req.path}: no operation in the contracts matches`];
  return [...validatePathParams(match), ...validateRequestBody(match.spec, match.method, match.template, req.body)];
}
