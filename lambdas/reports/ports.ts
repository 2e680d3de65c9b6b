import type { AccountFacts } from './billing.js';
import type { ExecutedChange } from './changes.js';
import type { FinanceSnapshot } from './snapshot.js';

/**
 * A snapshot as stored: the plan's SeatSnapshot fields always, the finance fields when the
 * snapshot was written by a FinanceSnapshot-aware writer (older ones lack them).
 */
export type StoredSnapshot = Pick<
  FinanceSnapshot,
  'orgId' | 'takenAt' | 'runId' | 'managed' | 'active' | 'billable' | 'perPolicy' | 'perProduct'
> &
  Partial<FinanceSnapshot>;

/** Reads snapshots (DynamoSeatStore.range has this shape already). */
export interface SnapshotSource {
  /** Snapshots of an org taken in [from, to) (ISO instants), oldest first. */
  range(orgId: string, from: string, to: string): AsyncIterable<StoredSnapshot>;
}

/** Writes one snapshot per plan run and after each execution. */
export interface SnapshotSink {
  put(snapshot: FinanceSnapshot): Promise<void>;
}

/** Changes the execution step carried out (items that reached DONE), from its records. */
export interface ExecutedChangeSource {
  /** Changes executed in [from, to) (ISO instants), any order. */
  between(orgId: string, from: string, to: string): AsyncIterable<ExecutedChange>;
}

/** The organization's accounts now, with policy and cost centre (listing + policy bulk read). */
export interface AccountFactsSource {
  /** `signal` stops the listing before its next request (the page under way still ends). */
  accounts(orgId: string, signal?: AbortSignal): AsyncIterable<AccountFacts>;
}

/**
 * An attachment. `inline` parts are shown in the HTML by `cid:{contentId}` (the chart); SES v2
 * SendEmail takes them as ContentDisposition INLINE with a ContentId.
 */
export interface FinanceMailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
  readonly disposition: 'inline' | 'attachment';
  /** Required for inline parts: the id the HTML refers to (without `cid:`). */
  readonly contentId?: string;
}

/** approval's MailMessage plus attachment disposition and Content-ID. */
export interface FinanceMailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments: readonly FinanceMailAttachment[];
}

/** Sends one message; an SES mailer that maps `disposition` and `contentId` implements it. */
export interface FinanceMailer {
  send(message: FinanceMailMessage): Promise<{ messageId: string }>;
}

/** Time as a port (shared/clock's Clock fits). */
export interface ReportClock {
  now(): number;
}
