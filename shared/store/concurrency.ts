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
