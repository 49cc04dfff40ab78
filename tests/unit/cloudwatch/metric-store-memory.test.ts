import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { identity } from "@/emulator/cloudwatch/dimensions";
import { MetricStore } from "@/emulator/cloudwatch/metric-store";

// The store's memory budget is only as good as its count of what it holds: 49,000 new series once grew the process
// by 390 MB while the store believed it held a fraction of that. Here the estimate is held against the heap a full
// garbage collection leaves (heap plus array buffers), for many sparse series and for fewer dense ones.

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heldBytes(): number {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function fill(series: number, points: number): { estimated: number; measured: number } {
  const now = 1_700_000_000;
  const store = new MetricStore({ now: () => now * 1000 });
  const before = heldBytes();
  for (let p = 0; p < points; p++) {
    for (let i = 0; i < series; i++) {
      const id = identity("Memory/Test", `Requests${i % 20}`, [
        { Name: "Service", Value: `svc-${Math.floor(i / 1000)}` },
        { Name: "Shard", Value: `shard-${i}` },
      ]);
      const v = i + p;
      store.put("us-east-1", id, { timestamp: now - (points - p) * 5, count: 1, sum: v, min: v, max: v, pairs: [v, 1], storageResolution: 1 });
    }
  }
  const measured = heldBytes() - before;
  const estimated = store.usage().bytes;
  expect(store.usage().series).toBe(series); // keeps the store alive until after the measurement
  return { estimated, measured };
}

// Full garbage collections on a busy shared machine take seconds.
describe("the metric store's memory accounting", { timeout: 60_000 }, () => {
  it("counts what 10,000 one-point series really hold, within 25%", () => {
    const { estimated, measured } = fill(10_000, 1);
    expect(estimated / measured).toBeGreaterThan(0.8);
    expect(estimated / measured).toBeLessThan(1.25);
  });

  it("counts what 500 series of 60 points really hold, within 25%", () => {
    const { estimated, measured } = fill(500, 60);
    expect(estimated / measured).toBeGreaterThan(0.8);
    expect(estimated / measured).toBeLessThan(1.25);
  });
});
