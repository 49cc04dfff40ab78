/** How long offset history is kept per primary: a replica further behind reports at least this much lag. */
const HISTORY_SECONDS = 15 * 60;

interface OffsetSample {
  at: number;
  offset: number;
}

/**
 * ReplicationLag in seconds, from replication offsets: the primary's offset is recorded at every reading, and a
 * replica that has processed up to offset r is as far behind as the time since the primary was at r (interpolated
 * between readings). Unlike the primary's `lag=` field (seconds since the replica's last acknowledgement, which
 * stays at 0–1 s however far behind it is), this grows while a replica falls behind during a write burst and shrinks
 * as it catches up.
 */
export class ReplicationOffsets {
  private readonly history = new Map<number, OffsetSample[]>();

  /** Records a primary's offset (by its port); a smaller offset than before means a new replication history. */
  record(primaryPort: number, at: number, offset: number): void {
    let samples = this.history.get(primaryPort);
    if (!samples || (samples.length > 0 && offset < samples[samples.length - 1].offset)) this.history.set(primaryPort, (samples = []));
    samples.push({ at, offset });
    while (samples.length > 2 && samples[0].at < at - HISTORY_SECONDS) samples.shift();
  }

  /** Seconds `replicaOffset` is behind the primary on `primaryPort`, as of `at`; undefined without history. */
  lagSeconds(primaryPort: number, replicaOffset: number, at: number): number | undefined {
    const samples = this.history.get(primaryPort);
    if (!samples || samples.length === 0) return undefined;
    if (replicaOffset >= samples[samples.length - 1].offset) return 0;
    let i = samples.length - 1;
    while (i >= 0 && samples[i].offset > replicaOffset) i--;
    if (i < 0) return Math.max(0, at - samples[0].at);
    const [before, after] = [samples[i], samples[i + 1]];
    const reachedAt = before.at + ((replicaOffset - before.offset) / (after.offset - before.offset)) * (after.at - before.at);
    return Math.max(0, at - reachedAt);
  }

  /** Forgets primaries that are no longer running. */
  retain(primaryPorts: ReadonlySet<number>): void {
    for (const port of this.history.keys()) if (!primaryPorts.has(port)) this.history.delete(port);
  }
}
