/** Port: where the reader reports retries and progress. Messages and fields never hold a secret. */
export interface EntraLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: EntraLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
