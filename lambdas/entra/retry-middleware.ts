import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { EntraError, EntraTlsError, EntraUnavailableError } from './errors.js';
import type { EntraLogger } from './logger.js';
import { classifyStatus, type Clock, type Failure, type RetryPolicy } from './retry-policy.js';
import { pathOf, requestUrl, traceOf } from './request-trace.js';
import { tlsFailureCode, tlsFailureMessage } from './tls.js';

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code =
    cause && typeof cause === 'object'
      ? ((cause as { code?: unknown }).code ?? (cause as { name?: unknown }).name)
      : undefined;
  return `${error.name}: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}`;
}

/**
 * Retries throttled and transient Graph responses (in place of the Graph client's RetryHandler,
 * whose sleep is not injectable and whose budget is shared by both kinds). A final 429/5xx response
 * is left in the context for the transport to translate; a final network failure is thrown.
 */
export class RetryMiddleware implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly logger: EntraLogger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('internal error: RetryMiddleware is the last middleware');
    const trace = traceOf(context);
    for (;;) {
      let failure: Failure | undefined;
      let networkError: unknown;
      try {
        await this.next.execute(context);
        const res = context.response;
        if (!res) throw new Error('internal error: no response after the fetch middleware');
        failure = classifyStatus(res.status, res.headers.get('retry-after'), this.clock.now());
        if (!failure) return;
      } catch (error) {
        if (error instanceof EntraError) {
          trace.failure ??= error;
          throw error;
        }
        // A certificate problem does not go away by waiting: said at once, never retried.
        const tls = tlsFailureCode(error);
        if (tls) {
          const url = requestUrl(context);
          trace.failure = new EntraTlsError(tlsFailureMessage(tls, url, 'entra.graphBaseUrl'), new URL(url).host, {
            code: tls,
          });
          throw trace.failure;
        }
        networkError = error;
        failure = { kind: 'transient' };
      }
      const decision = this.policy.decide(failure, trace.count, this.clock.now());
      const path = pathOf(requestUrl(context));
      if (!decision.retry) {
        trace.gaveUp = decision;
        if (networkError === undefined) return;
        trace.failure = new EntraUnavailableError(
          `Microsoft Graph could not be reached for ${context.options?.method ?? 'GET'} ${path} after ${trace.attempts} attempt(s) (${describeNetworkError(networkError)}; gave up: ${decision.reason}). ` +
            'Check network egress to entra.graphBaseUrl; the read can be re-run.',
          trace.attempts,
        );
        throw trace.failure;
      }
      if (failure.kind === 'throttled') trace.stats.throttledRetries++;
      else trace.stats.transientRetries++;
      this.logger.warn('Graph request will be retried', {
        kind: failure.kind,
        status: networkError === undefined ? context.response?.status : undefined,
        error: networkError === undefined ? undefined : describeNetworkError(networkError),
        retryAfterMs: failure.retryAfterMs,
        delayMs: decision.delayMs,
        attempt: trace.attempts,
        path,
      });
      await this.clock.sleep(decision.delayMs);
      trace.stats.waitedMs += decision.delayMs;
    }
  }
}
