import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenSource } from './credential.js';
import { EntraResponseError } from './errors.js';
import { requestUrl } from './request-trace.js';

function setHeader(context: Context, name: string, value: string): void {
  context.options ??= {};
  const headers = context.options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers)) headers.push([name, value]);
  else context.options.headers = { ...(headers as Record<string, string> | undefined), [name]: value };
}

/**
 * Adds the app-only bearer token, and only for the configured Graph origin: a nextLink pointing
 * anywhere else is refused rather than handed our token.
 */
export class AuthMiddleware implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly tokens: TokenSource,
    private readonly graphOrigin: string,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('internal error: AuthMiddleware is the last middleware');
    const url = requestUrl(context);
    const origin = new URL(url).origin;
    if (origin !== this.graphOrigin) {
      throw new EntraResponseError(
        `Refusing to send the Graph token to ${origin}: Graph pointed a request (a nextLink?) outside ${this.graphOrigin}. Check entra.graphBaseUrl.`,
      );
    }
    setHeader(context, 'Authorization', `Bearer ${await this.tokens.getToken()}`);
    await this.next.execute(context);
  }
}
