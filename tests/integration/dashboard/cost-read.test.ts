import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterSummary } from "@/lib/data/model";
import { CostRead, type CostReadRecord } from "@/lib/watcher/cost-read";
import { waitFor } from "@/emulator/nodes/wait-for";
import { startTestEmulator, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { at } from "../../helpers/place";

// A watcher's cost inputs against a real (empty) emulator: read hourly, but within minutes while a serverless cache
// has no measured usage yet (a new cache, or its first hour not published), so it is not left without a cost for an
// hour.

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ workload: false });
  pointAwsSdkAt(emulator.url);
});

afterAll(async () => {
  await emulator?.dispose();
});

const serverless = (id: string) => ({ kind: "serverless", id }) as ClusterSummary;

/** A CostRead that applies each read as the watcher's commit would, and the reads of inputs it made. */
function costRead() {
  const reads: Extract<CostReadRecord, { kind: "inputs" }>[] = [];
  const read = new CostRead(at("us-east-1"), (record) => {
    read.apply(record);
    if (record.kind === "inputs") reads.push(record);
  });
  return { read, reads };
}

describe("cost inputs read", () => {
  it("reads again a minute later while a serverless cache has no usage, and hourly once every cache is measured", async () => {
    const t0 = Date.now();
    const unmeasured = costRead();
    unmeasured.read.readIfDue([serverless("not-yet-measured")], t0);
    await waitFor(() => unmeasured.reads.length === 1 || undefined, { timeoutMs: 15_000, description: "the first inputs read" });
    expect(unmeasured.reads[0].inputs?.serverlessUsage).toEqual([]);
    unmeasured.read.readIfDue([serverless("not-yet-measured")], t0 + 59_000);
    unmeasured.read.readIfDue([serverless("not-yet-measured")], t0 + 60_000);
    await waitFor(() => unmeasured.reads.length === 2 || undefined, { timeoutMs: 15_000, description: "the early second read" });
    expect(unmeasured.reads.map((r) => r.at)).toEqual([t0, t0 + 60_000]);

    // Nothing serverless to measure: the next read is an hour after the last.
    const measured = costRead();
    measured.read.readIfDue([], t0);
    await waitFor(() => measured.reads.length === 1 || undefined, { timeoutMs: 15_000, description: "the first inputs read" });
    measured.read.readIfDue([], t0 + 5 * 60_000);
    measured.read.readIfDue([], t0 + 59 * 60_000);
    measured.read.readIfDue([], t0 + 60 * 60_000);
    await waitFor(() => measured.reads.length === 2 || undefined, { timeoutMs: 15_000, description: "the hourly read" });
    expect(measured.reads.map((r) => r.at)).toEqual([t0, t0 + 60 * 60_000]);
  });
});
