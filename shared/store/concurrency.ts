/**
 * Runs `work` over the items with at most `limit` of them in flight, and settles when all are
 * done; the first failure rejects (the others still run to their end, nothing is left dangling).
 */
export const eachConcurrently = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
};

/**
 * Runs `work` over the items with at most `limit` of them in flight and hands each result to
 * `visit` in the items' order, holding only the results not yet visited: a reader of hundreds of
 * queues' histories keeps a few of them in memory, not all. The first failure rejects once the
 * work in flight has settled, so nothing is left dangling.
 */
export const eachInOrder = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  visit: (result: R) => void | Promise<void>,
): Promise<void> => {
  const inFlight: Promise<R>[] = [];
  let next = 0;
  const start = () => {
    if (next >= items.length) return;
    const running = work(items[next++]!);
    // Awaited in turn below; until then a failure must not count as unhandled.
    running.catch(() => undefined);
    inFlight.push(running);
  };
  for (let n = 0; n < Math.max(1, limit); n++) start();
  try {
    while (inFlight.length > 0) {
      const result = await inFlight.shift()!;
      start();
      await visit(result);
    }
  } finally {
    await Promise.allSettled(inFlight);
  }
};
