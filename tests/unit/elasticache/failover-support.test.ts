import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GroupActivity } from "@/emulator/elasticache/state/activity";
import { toRanges } from "@/emulator/elasticache/workflows/resharding";
import { QUOTA_FILE, TestFailoverQuota } from "@/emulator/elasticache/api/test-failover-quota";
import { ZonePower } from "@/emulator/elasticache/state/zone-power";
import { ApiError } from "@/emulator/server/api-error";
import { parseSlotRanges } from "@/emulator/nodes/cluster-node-replacement";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("GroupActivity", () => {
  it("runs the changes of one group one after the other, whatever the previous one did, and other groups alongside", async () => {
    const activity = new GroupActivity();
    const log: string[] = [];
    let release!: () => void;
    const first = activity.exclusive("us-east-1/a", async () => {
      log.push("a1 start");
      await new Promise<void>((resolve) => (release = resolve));
      log.push("a1 end");
      throw new Error("a1 failed");
    });
    const second = activity.exclusive("us-east-1/a", async () => log.push("a2"));
    await activity.exclusive("us-east-1/b", async () => log.push("b1"));
    expect(log).toEqual(["a1 start", "b1"]);
    release();
    await expect(first).rejects.toThrow("a1 failed");
    await second;
    expect(log).toEqual(["a1 start", "b1", "a1 end", "a2"]);
  });

  it("remembers a group's failover until it settles", async () => {
    const activity = new GroupActivity();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    activity.trackFailover("us-east-1/a", "0002", done);
    expect(activity.failoverInProgress("us-east-1/a")).toBe("0002");
    expect(activity.failoverInProgress("us-east-1/b")).toBeUndefined();
    finish();
    await done;
    await Promise.resolve();
    expect(activity.failoverInProgress("us-east-1/a")).toBeUndefined();
  });
});

describe("ZonePower", () => {
  it("tells which zones are dark and wakes those waiting when the power is back", async () => {
    const power = new ZonePower();
    power.cut("us-east-1", "us-east-1a");
    expect(power.isPowered("us-east-1", "us-east-1a")).toBe(false);
    expect(power.isPowered("us-east-1", "us-east-1b")).toBe(true);
    expect(power.isPowered("eu-west-1", "us-east-1a")).toBe(true);
    let woken = false;
    const waiting = power.whenPowered("us-east-1", "us-east-1a").then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    power.restore("us-east-1", "us-east-1a");
    await waiting;
    expect(woken).toBe(true);
    await power.whenPowered("us-east-1", "us-east-1a");
  });
});

describe("TestFailoverQuota", () => {
  it("counts shards over a rolling 24 hours and keeps the count in the data dir", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-quota-"));
    dirs.push(dir);
    let now = new Date("2026-01-01T00:00:00Z");
    const quota = () => new TestFailoverQuota(dir, () => 2, () => now);
    const first = quota();
    first.consume("us-east-1", "a", "0001");
    now = new Date("2026-01-01T20:00:00Z");
    first.consume("eu-west-1", "b", "0001");
    const refusal = (() => {
      try {
        quota().consume("us-east-1", "a", "0002");
      } catch (error) {
        return error as ApiError;
      }
    })();
    expect(refusal).toMatchObject({ code: "APICallRateForCustomerExceeded", status: 400 });
    expect(refusal?.message).toContain("The next call is allowed after 2026-01-02T00:00:00.000Z");
    now = new Date("2026-01-02T00:00:01Z");
    quota().consume("us-east-1", "a", "0002");
    expect(JSON.parse(fs.readFileSync(path.join(dir, QUOTA_FILE), "utf8")).calls).toHaveLength(2);
  });

  it("refuses to start on a damaged quota file rather than forgetting the count", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-quota-"));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, QUOTA_FILE), JSON.stringify({ calls: [{ at: "yesterday" }] }));
    expect(() => new TestFailoverQuota(dir, () => 15, () => new Date())).toThrow(/not a TestFailover quota file/);
  });
});

describe("slot ranges", () => {
  it("turns owned slots into the records' ranges and back", () => {
    expect(toRanges([5, 3, 4, 10, 0])).toBe("0,3-5,10");
    expect(parseSlotRanges("0,3-5,10")).toEqual([
      { start: 0, end: 0 },
      { start: 3, end: 5 },
      { start: 10, end: 10 },
    ]);
    expect(toRanges([])).toBe("");
  });
});
