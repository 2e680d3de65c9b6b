/**
 * Powertools for AWS Lambda behind the product's ports (the core never imports them): the Logger
 * port on the Powertools logger (JSON lines with service, cold start, function and X-Ray trace id,
 * plus the run's persistent keys), the product's EMF metrics, and the tracer that wraps AWS clients.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { LogFields, Logger } from '../shared/logger.js';
import { METRICS_NAMESPACE, SERVICE_NAME, type MetricName } from './observability.js';
import type { MetricPoint } from './run-metrics.js';

const service = () => process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME;

/** The Logger port, plus what a handler sets once per invocation. */
export interface LambdaLogger extends Logger {
  /** Keys written on every later line of this container (run id, proposal id); undefined removes one. */
  keep(keys: Readonly<Record<string, string | undefined>>): void;
  /** The invocation's correlation id (the Lambda request id, an execution name). */
  correlate(id: string): void;
}

/** The Logger port on a Powertools logger (log level from POWERTOOLS_LOG_LEVEL, default INFO). */
export function powertoolsLogger(
  pt: PowertoolsLogger = new PowertoolsLogger({ serviceName: service() }),
): LambdaLogger {
  return {
    log: (level, message, fields?: LogFields) => pt[level](message, { ...fields }),
    keep(keys) {
      const entries = Object.entries(keys);
      const set = entries.filter((e): e is [string, string] => e[1] !== undefined);
      const unset = entries.filter(([, v]) => v === undefined).map(([k]) => k);
      if (set.length > 0) pt.appendPersistentKeys(Object.fromEntries(set));
      // A warm container's next invocation must not carry the last one's proposal id.
      if (unset.length > 0) pt.removePersistentKeys(unset);
    },
    correlate: (id) => pt.setCorrelationId(id),
  };
}

/** The product's metrics of one invocation, flushed as one EMF line. */
export interface ProductMetrics {
  count(name: MetricName, value: number): void;
  milliseconds(name: MetricName, value: number): void;
  /** Stores each point (run-metrics.ts). */
  record(points: readonly MetricPoint[]): void;
  /** Writes the stored metrics (one EMF JSON line on stdout) and clears them; nothing when none. */
  flush(): void;
}

export function productMetrics(
  metrics: Metrics = new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: service(),
  }),
): ProductMetrics {
  let stored = 0;
  return {
    count(name, value) {
      metrics.addMetric(name, MetricUnit.Count, value);
      stored++;
    },
    milliseconds(name, value) {
      metrics.addMetric(name, MetricUnit.Milliseconds, value);
      stored++;
    },
    record(points) {
      for (const p of points) this[p.unit === 'Count' ? 'count' : 'milliseconds'](p.name, p.value);
    },
    flush() {
      // Powertools warns about an empty flush; an invocation with nothing to count writes nothing.
      if (stored === 0) return;
      stored = 0;
      metrics.publishStoredMetrics();
    },
  };
}

let tracer: Tracer | undefined;

/**
 * An AWS SDK v3 client whose calls are X-Ray subsegments (the stack turns active tracing on).
 * Outside Lambda, Powertools disables tracing and the client is returned as it is.
 */
export function traced<T>(client: T): T {
  tracer ??= new Tracer({ serviceName: service() });
  return tracer.captureAWSv3Client(client);
}
