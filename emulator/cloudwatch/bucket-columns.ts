/** Bytes one bucket occupies: a uint32 time (epoch seconds, good until 2106) and four float64 columns. */
export const BUCKET_BYTES = 4 + 4 * 8;

/**
 * The buckets of one series at one resolution (1 s or 60 s), in time order, stored column-wise in typed arrays so a
 * series of thousands of points costs 36 bytes a point and no object per point. Points almost always arrive at the
 * end (now); a late point is merged or inserted in place.
 */
export class BucketColumns {
  private time: Uint32Array;
  private counts: Float64Array;
  private sums: Float64Array;
  private mins: Float64Array;
  private maxs: Float64Array;
  private head = 0;
  private tail = 0;

  constructor(
    /** Bucket width in seconds; bucket times are multiples of it. */
    readonly resolution: number,
    initialCapacity = 8,
  ) {
    this.time = new Uint32Array(initialCapacity);
    this.counts = new Float64Array(initialCapacity);
    this.sums = new Float64Array(initialCapacity);
    this.mins = new Float64Array(initialCapacity);
    this.maxs = new Float64Array(initialCapacity);
  }

  get length(): number {
    return this.tail - this.head;
  }

  get capacity(): number {
    return this.time.length;
  }

  bucketOf(timeSeconds: number): number {
    return Math.floor(timeSeconds / this.resolution) * this.resolution;
  }

  /** Adds an aggregate to the bucket holding `timeSeconds`; returns that bucket's time and whether it is new. */
  add(timeSeconds: number, count: number, sum: number, min: number, max: number): { bucket: number; created: boolean } {
    const bucket = this.bucketOf(timeSeconds);
    const last = this.tail - 1;
    let index: number;
    let created = false;
    if (last >= this.head && this.time[last] === bucket) index = last;
    else if (last < this.head || this.time[last] < bucket) {
      index = this.append();
      created = true;
    } else {
      const offset = this.lowerBound(bucket);
      index = this.head + offset;
      if (index >= this.tail || this.time[index] !== bucket) {
        index = this.insertAt(offset);
        created = true;
      }
    }
    if (created) {
      this.time[index] = bucket;
      this.counts[index] = count;
      this.sums[index] = sum;
      this.mins[index] = min;
      this.maxs[index] = max;
    } else {
      this.counts[index] += count;
      this.sums[index] += sum;
      if (min < this.mins[index]) this.mins[index] = min;
      if (max > this.maxs[index]) this.maxs[index] = max;
    }
    return { bucket, created };
  }

  /** Index (0-based from the oldest bucket) of the first bucket at or after `timeSeconds`. */
  lowerBound(timeSeconds: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid] < timeSeconds) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  timeAt(i: number): number {
    return this.time[this.head + i];
  }
  countAt(i: number): number {
    return this.counts[this.head + i];
  }
  sumAt(i: number): number {
    return this.sums[this.head + i];
  }
  minAt(i: number): number {
    return this.mins[this.head + i];
  }
  maxAt(i: number): number {
    return this.maxs[this.head + i];
  }

  oldest(): number | undefined {
    return this.length > 0 ? this.time[this.head] : undefined;
  }

  /** Drops the buckets older than `cutoffSeconds`; returns how many went. Shrinks storage that became mostly empty. */
  dropBefore(cutoffSeconds: number): number {
    const removed = this.lowerBound(cutoffSeconds);
    this.head += removed;
    if (this.head === this.tail) this.head = this.tail = 0;
    if (removed > 0 && this.length < this.capacity / 4 && this.capacity > 8) this.resize(Math.max(8, this.length * 2));
    return removed;
  }

  private append(): number {
    if (this.tail === this.capacity) {
      if (this.head > this.capacity / 2) this.compact();
      else this.resize(Math.ceil(this.capacity * 1.5));
    }
    return this.tail++;
  }

  /** Opens a slot at `offset` from the oldest bucket; returns its absolute index (append may have moved the data). */
  private insertAt(offset: number): number {
    this.append();
    const index = this.head + offset;
    for (const column of this.columns()) column.copyWithin(index + 1, index, this.tail - 1);
    return index;
  }

  private compact() {
    for (const column of this.columns()) column.copyWithin(0, this.head, this.tail);
    this.tail -= this.head;
    this.head = 0;
  }

  private resize(capacity: number) {
    const grow = <T extends Float64Array | Uint32Array>(column: T, next: T): T => {
      next.set(column.subarray(this.head, this.tail));
      return next;
    };
    this.time = grow(this.time, new Uint32Array(capacity));
    this.counts = grow(this.counts, new Float64Array(capacity));
    this.sums = grow(this.sums, new Float64Array(capacity));
    this.mins = grow(this.mins, new Float64Array(capacity));
    this.maxs = grow(this.maxs, new Float64Array(capacity));
    this.tail -= this.head;
    this.head = 0;
  }

  private columns(): (Float64Array | Uint32Array)[] {
    return [this.time, this.counts, this.sums, this.mins, this.maxs];
  }
}
