/**
 * Runs a page's writes behind the reads: the plan hands each page's writes here and goes on reading
 * the next page while they run. Writes run one batch at a time, in order (the audit chain and the
 * checkpoint need their order), and at most `depth` batches wait, so memory stays a few pages' worth
 * and a slow store holds the reads back instead of piling up. A failed write fails the next `add`
 * or `drain`; nothing is written after it.
 */
export class WriteBehind {
  private tail: Promise<void> = Promise.resolve();
  private readonly queued: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly depth = 2) {
    if (!(depth >= 1)) throw new Error(`WriteBehind depth must be >= 1, got ${depth}`);
  }

  /** Queues `write` after the writes before it; waits only when `depth` batches are already queued. */
  async add(write: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    const next = this.tail.then(() => (this.failure ? undefined : write()));
    this.tail = next.catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.queued.push(this.tail);
    while (this.queued.length > this.depth) await this.queued.shift();
    this.throwIfFailed();
  }

  /** Waits for every queued write; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.queued.length = 0;
    this.throwIfFailed();
  }

  /** Waits for the queued writes to settle, whatever their outcome (before giving up a run). */
  async settle(): Promise<void> {
    await this.tail;
    this.queued.length = 0;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
