/**
 * Reads the next page while the current one is evaluated: the listing's cursor makes its requests
 * one after another, so without this each page costs the listing's round trip plus the policy
 * fetch and the evaluation, and the run goes at the pace of the round trips instead of the rate
 * limit. One page ahead at most (memory stays a page or two). A failed read surfaces when its page
 * is asked for; a page read ahead and never asked for (the consumer stopped) is dropped, its
 * failure included.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<T>> | undefined = it.next();
  try {
    for (;;) {
      const pending = next!;
      // Taken before it settles: a failed read is the source's end (as in for await, it is not
      // closed again), and its error is the one that surfaces.
      next = undefined;
      const current: IteratorResult<T> = await pending;
      if (current.done) return;
      next = it.next();
      next.catch(() => undefined); // handled when awaited above; dropped if the consumer stops first
      yield current.value;
    }
  } finally {
    if (next) {
      // The consumer stopped early: let the read in progress settle, then close the source.
      await next.catch(() => undefined);
      await it.return?.();
    }
  }
}
