export { ActionKind, ACTION_KINDS } from './actions.js';
export { configSchema, type Config, type ConfigInput, type SecretRef } from './schema.js';
export {
  ConfigError,
  configDeprecations,
  parseConfig,
  loadConfigFile,
  loadConfigFromEnv,
  type ConfigProblem,
} from './load.js';
