/**
 * Which configuration file the CDK app deploys, and its loading with the CLI's loader and messages
 * (lambdas/config loadConfigFile): a missing, unreadable, malformed or invalid file stops synth with
 * one clear message naming the file and the fix, never a raw ENOENT or a stack trace.
 */
import { ConfigError, loadConfigFile, type Config } from '../lambdas/config/index.js';

/** The context key that names the configuration file (`--context configFile=...` or cdk.json). */
export const CONFIG_CONTEXT_KEY = 'configFile';
/** Used when neither the command line nor cdk.json names a file: the committed AWS example. */
export const DEFAULT_CONFIG_FILE = 'config/example.aws.json';

const HOW = `Name an existing JSON file with --context ${CONFIG_CONTEXT_KEY}=path/to/config.json, or set "${CONFIG_CONTEXT_KEY}" in cdk.json's "context" (config/example.aws.json is a valid start).`;

/** The file named by the context (`configFile`; `config`, its earlier name, is still read). */
export function configFileOf(context: (key: string) => unknown): string {
  for (const key of [CONFIG_CONTEXT_KEY, 'config']) {
    const value = context(key);
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '')
      throw new ConfigError(`The context value ${key} must be a file path; got ${JSON.stringify(value)}. ${HOW}`);
    return value;
  }
  return DEFAULT_CONFIG_FILE;
}

/**
 * `--context auditIndexesProjectAll=true|false` (or the same key in cdk.json's context): whether the
 * audit indexes keep every attribute, as a stack deployed before they became keys-only has them.
 * Anything but true or false stops synth: a mistyped value would otherwise deploy keys-only
 * indexes, which CloudFormation refuses on such a stack.
 */
export function auditIndexesProjectAllOf(context: (key: string) => unknown): boolean {
  const value = context('auditIndexesProjectAll');
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new ConfigError(
    `The context value auditIndexesProjectAll must be true or false; got ${JSON.stringify(value)}. Use --context auditIndexesProjectAll=true for a stack deployed before the audit indexes became keys-only (or put it in cdk.json's "context"), and leave it out otherwise.`,
  );
}

/** Node 22's JSON.parse quotes part of the text in its message; a secret may sit there: drop it. */
export const withoutJsonExcerpt = (message: string): string =>
  message.replace(/, (?:\.\.\.)?".*" is not valid JSON/s, '');

/** Loads and validates the file; a file that cannot be read gets the synth's own hint (not the CLI's). */
export function loadStackConfig(path: string): Config {
  try {
    return loadConfigFile(path);
  } catch (e) {
    const code = (e instanceof ConfigError && (e.cause as NodeJS.ErrnoException | undefined)?.code) || undefined;
    if (code)
      throw new ConfigError(
        `Cannot read configuration file ${path}: ${code === 'ENOENT' ? 'no such file' : code}. ${HOW}`,
        [],
        { cause: e },
      );
    if (e instanceof ConfigError && e.problems.length === 0)
      throw new ConfigError(withoutJsonExcerpt(e.message), [], { cause: e.cause });
    throw e;
  }
}
