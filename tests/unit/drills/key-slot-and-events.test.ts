import { describe, expect, it } from "vitest";
import { hashTagIn, keySlot, parseSlots } from "@/lib/drills/key-slot";
import { eventKey, readEvent } from "@/lib/drills/events";

describe("key slots", () => {
  it("matches Redis Cluster's CLUSTER KEYSLOT, hash tags included", () => {
    expect(keySlot("foo")).toBe(12182);
    expect(keySlot("123456789")).toBe(0x31c3);
    expect(keySlot("{user1000}.following")).toBe(keySlot("user1000"));
    expect(keySlot("foo{}{bar}")).toBe(keySlot("foo{}{bar}"));
    expect(keySlot("foo{}{bar}")).not.toBe(keySlot("bar"));
  });

  it("finds a hash tag inside a shard's slot ranges", () => {
    expect(parseSlots("0-5460,10923-10930, 16383")).toEqual([[0, 5460], [10923, 10930], [16383, 16383]]);
    for (const slots of ["0-5460", "5461-10922", "10923-16383", "100-100"]) {
      const ranges = parseSlots(slots);
      const slot = keySlot(`{${hashTagIn(ranges, "drill-7")}}:1`);
      expect(ranges.some(([a, b]) => slot >= a && slot <= b), slots).toBe(true);
    }
  });
});

describe("failover events", () => {
  it("reads AWS's wording into facts", () => {
    expect(readEvent("Test Failover API called for node group 0002")).toEqual({ type: "test-failover-called", nodeGroupId: "0002" });
    expect(readEvent("Failover from primary node orders-001 to replica node orders-002 completed")).toEqual({
      type: "failover-completed",
      from: "orders-001",
      to: "orders-002",
    });
    expect(readEvent("Recovering cache nodes 0001")).toEqual({ type: "recovering", nodeIds: ["0001"] });
    expect(readEvent("Finished recovery for cache nodes 0001,0002")).toEqual({ type: "recovered", nodeIds: ["0001", "0002"] });
    expect(readEvent("Cache cluster created")).toEqual({ type: "other" });
  });

  it("identifies an event by time, source and message", () => {
    const e = { date: "2026-03-01T10:00:00.000Z", sourceIdentifier: "orders", message: "x" };
    expect(eventKey(e)).toBe(eventKey({ ...e }));
    expect(eventKey(e)).not.toBe(eventKey({ ...e, sourceIdentifier: "orders-001" }));
  });
});
