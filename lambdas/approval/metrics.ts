/**
 * Counts as CloudWatch metrics without a metrics client: a JSON log line carrying these fields is
 * read by CloudWatch Logs as one data point (Embedded Metric Format), so the count needs no extra
 * permission, no network call and no write anywhere an anonymous caller could fill up.
 */

export const METRIC_NAMESPACE = 'AtlassianLifecycle/Approval';

/** Refusals of requests that carried no genuine link: counted and logged, never audited. */
export const UNVERIFIED_REFUSALS = 'UnverifiedRefusals';

/** A review link could not start a sign-in: the OpenID Provider (its discovery) could not be reached. */
export const SIGN_IN_UNAVAILABLE = 'SignInUnavailable';

/** Log fields that count one `metric` at `epochMs`, split by the given dimensions (also plain fields of the line). */
export function countOne(
  metric: string,
  epochMs: number,
  dimensions: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: epochMs,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: [{ Name: metric, Unit: 'Count' }],
        },
      ],
    },
    ...dimensions,
    [metric]: 1,
  };
}
