export { startLocalOidc } from './server.js';
export { signInWithoutBrowser } from './browserless.js';
export type { LocalOidc, LocalOidcClient, LocalOidcOptions, LocalOidcUser } from './types.js';
export { startLocalOidcProcess } from './process.js';
