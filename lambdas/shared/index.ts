export { systemClock, ManualClock, type Clock } from './clock.js';
export { jsonLogger, silentLogger, memoryLogger, type Logger, type LogLevel, type LogFields } from './logger.js';
export {
  SecretResolutionError,
  resolveSetting,
  envSecretResolver,
  secretsManagerSecretResolver,
  describeSecretRef,
  type SecretResolver,
  type GetSecretValue,
} from './secrets.js';
export { secretReadFailureMessage } from './secret-read-failure.js';
export { parseRetryAfter } from './retry-after.js';
export { escapeHtml, html, trusted, SafeHtml } from './html.js';
export { dateTimeFormat, numberFormat } from './intl.js';
