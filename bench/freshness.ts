/** Median and 95th percentile of a sample, by nearest rank (a value that was measured, never interpolated). */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new Error(`p must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
};

export interface Freshness {
  readonly webhooks: number;
  readonly medianS: number;
  readonly p95S: number;
  readonly maxS: number;
}

export const freshnessOf = (seconds: readonly number[]): Freshness => ({
  webhooks: seconds.length,
  medianS: percentile(seconds, 50),
  p95S: percentile(seconds, 95),
  maxS: percentile(seconds, 100),
});
