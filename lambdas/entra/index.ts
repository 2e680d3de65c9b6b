// Public surface of the Entra ID reader (listed by hand; everything else is internal).
export type {
  EntraAccountFacts,
  EntraDirectory,
  EntraMember,
  EntraLookup,
  EntraReadStats,
  SignInActivityStatus,
} from './types.js';
export { DirectoryScope } from './types.js';
export { EntraMembership, emailKey, type EntraMembershipInit } from './membership.js';
export {
  EmailJoin,
  joinByEmail,
  toAccountFacts,
  type JoinableAccount,
  type JoinResult,
  type UnmatchedOptions,
} from './join.js';
export { createEntraDirectory, GraphEntraDirectory, PAGE_SIZE, SIGN_IN_PAGE_SIZE } from './directory.js';
export { createEntraDirectoryFromConfig, type EntraConfigDeps } from './from-config.js';
export { SignInActivityMode, type EntraDirectoryOptions } from './options.js';
export { GraphPermission } from './permissions.js';
export {
  EntraError,
  EntraAuthError,
  EntraGroupNotFoundError,
  EntraLicenseError,
  EntraPermissionError,
  EntraResponseError,
  EntraSecretError,
  EntraThrottledError,
  EntraTlsError,
  EntraUnavailableError,
} from './errors.js';
export { systemClock, type Clock, type RetryOptions } from './retry-policy.js';
export { silentLogger, type EntraLogger } from './logger.js';
export type { TokenSource } from './credential.js';
export type { FetchLike } from './fetch-middleware.js';
