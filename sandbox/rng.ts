import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded, mutable pseudo-random source: the same seed gives the same sequence on every machine. */
export class Rng {
  private readonly gen: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number) {
    // Small seeds (1, 2, 3 …) start xoroshiro in a low-entropy state: scramble the seed and
    // discard the first outputs so neighbouring seeds give unrelated accounts.
    this.gen = xoroshiro128plus(Math.imul(seed | 0, 0x9e3779b1) ^ 0x5bd1e995);
    for (let i = 0; i < 32; i++) this.gen.next();
  }

  /** Uniform in [0, 1), 32 bits of randomness: plenty for synthetic data and twice as fast as 53. */
  float(): number {
    return (this.gen.next() >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [from, to]. */
  int(from: number, to: number): number {
    return from + Math.floor(this.float() * (to - from + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** An index drawn with the given cumulative weights (ascending, last = total). */
  weighted(cumulative: readonly number[]): number {
    const x = this.float() * cumulative[cumulative.length - 1]!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A log-normal duration around `median` seconds, clamped to [min, max]. */
  logNormal(median: number, sigma: number, min: number, max: number): number {
    const u1 = Math.max(this.float(), 1e-9);
    const u2 = this.float();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * z))));
  }
}

export const cumulative = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((w) => (sum += w));
};
