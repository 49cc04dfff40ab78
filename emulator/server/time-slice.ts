import { setImmediate as nextTurn } from "node:timers/promises";

/**
 * Lets a long computation hand the event loop back every few milliseconds, so the requests that arrive meanwhile (a
 * DescribeReplicationGroups, a node's health check) are answered between its steps instead of after it.
 */
export class TimeSlice {
  private since = performance.now();

  constructor(private readonly sliceMs = 5) {}

  /** Whether this slice is used up: the next yieldIfDue hands the event loop back. */
  isDue(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  async yieldIfDue(): Promise<void> {
    if (!this.isDue()) return;
    await nextTurn();
    this.since = performance.now();
  }
}
