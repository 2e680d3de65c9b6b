import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';

/** One problem found in a configuration, with the field's path and the value received. */
export interface ConfigProblem {
  readonly field: string;
  readonly value: string;
  readonly message: string;
}

/** The configuration could not be read or is invalid; `problems` lists every bad field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: readonly ConfigProblem[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const SENSITIVE = /secret|password|token|apikey/i;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function show(value: unknown, field: string): string {
  if (value === undefined) return '(missing)';
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would print as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a number out of range';
  if (SENSITIVE.test(field) && typeof value === 'string') return '(hidden)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function toProblems(input: unknown, error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      return {
        field,
        value: issue.keys.join(', '),
        message: `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling against config/example.local.json`,
      };
    }
    const value = valueAt(input, issue.path);
    if (typeof value === 'number' && !Number.isFinite(value))
      return {
        field,
        value: show(value, field),
        message: 'a number too large to represent (like 1e400): write a number within the range stated for the field',
      };
    if (value === undefined && issue.code === 'invalid_type') {
      return {
        field,
        value: '(missing)',
        message: `required field is missing (${issue.message.replace(/, received undefined$/, '')})`,
      };
    }
    return { field, value: show(value, field), message: issue.message };
  });
}

/**
 * What a configuration says with deprecated fields, and how to say it now. Empty when nothing is
 * deprecated. parseConfig emits each as a Node DeprecationWarning, once per process.
 */
export function configDeprecations(input: unknown): string[] {
  const legacy = valueAt(input, ['deactivation', 'deactivateEntraLeavers']);
  if (typeof legacy !== 'boolean') return [];
  return [
    `deactivation.deactivateEntraLeavers is deprecated: read as deactivateEntraDisabled ${legacy} and deactivateEntraDeleted ${legacy}. ` +
      'Replace it with those two fields ("deleted" now applies only to emails on the tenant\'s own domains: entra.tenantDomains, or the verified domains Microsoft Graph lists).',
  ];
}

const warned = new Set<string>();

/** Validates a parsed configuration object; throws ConfigError naming every bad field. */
export function parseConfig(input: unknown, origin = 'configuration'): Config {
  const result = configSchema.safeParse(input);
  if (result.success) {
    for (const note of configDeprecations(input)) {
      if (warned.has(note)) continue;
      warned.add(note);
      process.emitWarning(note, { type: 'DeprecationWarning', code: 'LIFECYCLE_CONFIG_DEPRECATED' });
    }
    return result.data;
  }
  const problems = toProblems(input, result.error);
  const lines = problems.map((p) => `  - ${p.field}: ${p.message} (got ${p.value})`);
  throw new ConfigError(`Invalid ${origin}:\n${lines.join('\n')}`, problems);
}

/** A UTF-8 byte order mark (as some Windows editors write) is not JSON; it is dropped, not refused. */
const BOM = '\uFEFF';

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text.startsWith(BOM) ? text.slice(1) : text);
  } catch (cause) {
    throw new ConfigError(
      `Invalid ${origin}: not valid JSON (${(cause as Error).message}). Fix the syntax; config/example.local.json is a valid starting point.`,
      [],
      { cause },
    );
  }
}

/** Reads and validates a JSON configuration file. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      `Cannot read configuration file ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}. Set LIFECYCLE_CONFIG_FILE to an existing JSON file.`,
      [],
      { cause },
    );
  }
  return parseConfig(parseJson(text, `configuration file ${path}`), `configuration file ${path}`);
}

/**
 * Loads the configuration from the environment: LIFECYCLE_CONFIG (inline JSON, as set on a Lambda
 * function) or LIFECYCLE_CONFIG_FILE (a path).
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const inline = env.LIFECYCLE_CONFIG;
  if (inline) return parseConfig(parseJson(inline, 'LIFECYCLE_CONFIG'), 'LIFECYCLE_CONFIG');
  const file = env.LIFECYCLE_CONFIG_FILE;
  if (file) return loadConfigFile(file);
  throw new ConfigError(
    'No configuration: set LIFECYCLE_CONFIG (JSON) or LIFECYCLE_CONFIG_FILE (path to a JSON file, see config/example.local.json).',
  );
}
