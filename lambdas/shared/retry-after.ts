/**
 * A `Retry-After` header as milliseconds to wait: delta-seconds (fractions allowed) or an HTTP
 * date; undefined when absent or unreadable. Used by the Atlassian and the Graph clients alike.
 * Rounded up: waiting less than the server asked walks straight back into the limit.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
