/** The fields of one bucket, side by side in one Float64Array: time (epoch seconds), count, sum, min, max. */
const FIELDS = 5;
const [TIME, COUNT, SUM, MIN, MAX] = [0, 1, 2, 3, 4];
/** Bytes one bucket occupies. */
export const BUCKET_BYTES = FIELDS * 8;
/**
 * What one BucketColumns costs beyond its buckets, measured on Node 20 (the object, its Float64Array and that array's
 * buffer); the store counts it so its total matches the heap it really holds.
 */
export const COLUMNS_OVERHEAD_BYTES = 260;

/**
 * The buckets of one series at one resolution (1 s or 60 s), in time order, in one typed array (one allocation per
 * tier, 40 bytes a point and no object per point: a series of one point must not cost kilobytes of headers). Points
 * almost always arrive at the end (now); a late point is merged or inserted in place.
 */
export class BucketColumns {
  private data: Float64Array;
  private head = 0;
  private tail = 0;

  constructor(
    /** Bucket width in seconds; bucket times are multiples of it. */
    readonly resolution: number,
    initialCapacity = 2,
  ) {
    this.data = new Float64Array(initialCapacity * FIELDS);
  }

  get length(): number {
    return this.tail - this.head;
  }

  get capacity(): number {
    return this.data.length / FIELDS;
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
    if (last >= this.head && this.field(last, TIME) === bucket) index = last;
    else if (last < this.head || this.field(last, TIME) < bucket) {
      index = this.append();
      created = true;
    } else {
      const offset = this.lowerBound(bucket);
      index = this.head + offset;
      if (index >= this.tail || this.field(index, TIME) !== bucket) {
        index = this.insertAt(offset);
        created = true;
      }
    }
    const at = index * FIELDS;
    const d = this.data;
    if (created) {
      d[at + TIME] = bucket;
      d[at + COUNT] = count;
      d[at + SUM] = sum;
      d[at + MIN] = min;
      d[at + MAX] = max;
    } else {
      d[at + COUNT] += count;
      d[at + SUM] += sum;
      if (min < d[at + MIN]) d[at + MIN] = min;
      if (max > d[at + MAX]) d[at + MAX] = max;
    }
    return { bucket, created };
  }

  /** Index (0-based from the oldest bucket) of the first bucket at or after `timeSeconds`. */
  lowerBound(timeSeconds: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.field(mid, TIME) < timeSeconds) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  timeAt(i: number): number {
    return this.field(this.head + i, TIME);
  }
  countAt(i: number): number {
    return this.field(this.head + i, COUNT);
  }
  sumAt(i: number): number {
    return this.field(this.head + i, SUM);
  }
  minAt(i: number): number {
    return this.field(this.head + i, MIN);
  }
  maxAt(i: number): number {
    return this.field(this.head + i, MAX);
  }

  private field(index: number, field: number): number {
    return this.data[index * FIELDS + field];
  }

  oldest(): number | undefined {
    return this.length > 0 ? this.timeAt(0) : undefined;
  }

  /** Drops the buckets older than `cutoffSeconds`; returns how many went. Shrinks storage that became mostly empty. */
  dropBefore(cutoffSeconds: number): number {
    const removed = this.lowerBound(cutoffSeconds);
    this.head += removed;
    if (this.head === this.tail) this.head = this.tail = 0;
    if (removed > 0 && this.length < this.capacity / 4 && this.capacity > 8) this.resize(Math.max(2, this.length * 2));
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
    this.data.copyWithin((index + 1) * FIELDS, index * FIELDS, (this.tail - 1) * FIELDS);
    return index;
  }

  private compact() {
    this.data.copyWithin(0, this.head * FIELDS, this.tail * FIELDS);
    this.tail -= this.head;
    this.head = 0;
  }

  private resize(capacity: number) {
    const next = new Float64Array(capacity * FIELDS);
    next.set(this.data.subarray(this.head * FIELDS, this.tail * FIELDS));
    this.data = next;
    this.tail -= this.head;
    this.head = 0;
  }
}
