/** Growable typed-array columns: the account holds millions of events as numbers, not objects. */

type TypedArray = Int32Array | Uint8Array | Float64Array | Uint32Array;
type TypedArrayCtor<T extends TypedArray> = new (length: number) => T;

export class Column<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly ctor: TypedArrayCtor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(Math.max(16, capacity));
  }

  push(value: number): number {
    if (this.length === this.data.length) {
      const bigger = new this.ctor(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** The filled part (a view, no copy). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const int32 = (capacity?: number) => new Column(Int32Array, capacity);
export const uint8 = (capacity?: number) => new Column(Uint8Array, capacity);
export const float64 = (capacity?: number) => new Column(Float64Array, capacity);
export const uint32 = (capacity?: number) => new Column(Uint32Array, capacity);

/** The first index in [0, length) whose key is ≥ target, for keys ascending in index order. */
export const lowerBound = (length: number, keyAt: (i: number) => number, target: number): number => {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyAt(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
