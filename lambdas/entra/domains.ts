/**
 * The tenant's own domains, from Microsoft Graph `GET /domains` (learn.microsoft.com/graph/api/domain-list,
 * application permission Domain.Read.All). A domain counts only once verified (`isVerified: true`):
 * an unverified one was added but not proven to be the tenant's.
 */
import { EntraResponseError } from './errors.js';

/** Collects the verified domain names of `/domains` pages; refuses an entry it cannot read. */
export class DomainAccumulator {
  private readonly verified = new Set<string>();

  addPage(items: readonly Record<string, unknown>[]): void {
    for (const item of items) {
      const { id, isVerified } = item;
      if (typeof id !== 'string' || id.trim() === '' || typeof isVerified !== 'boolean')
        throw new EntraResponseError(
          `GET /domains returned an entry without a domain name (id) or isVerified (got ${JSON.stringify({ id, isVerified })}); ` +
            "nothing was read, so nobody is judged deleted from Entra. Set entra.tenantDomains to name the tenant's domains instead.",
        );
      if (isVerified) this.verified.add(id.trim().toLowerCase());
    }
  }

  get domains(): string[] {
    return [...this.verified];
  }
}
