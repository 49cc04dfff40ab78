import { describe, expect, it } from "vitest";
import type { SnapshotHead, WatcherSnapshot } from "@/lib/watcher/region-watcher";
import { SnapshotAssembly, snapshotRows } from "@/lib/watcher/snapshot-parts";

// A snapshot's rows as relay.ts writes them and a follower reads them back: the long lists in parts of their own,
// the head naming each part's kind.

const meta: SnapshotHead["meta"] = {
  state: "running", problems: [], last: { events: 1, describe: 1, fleetRead: null, closeRead: null, tags: null, alarms: null },
  next: { describe: null, fleetRead: null, closeRead: null, tags: null, alarms: null }, busyUntil: 0,
};

function state(over: Partial<WatcherSnapshot> = {}): WatcherSnapshot {
  // Caches as opaque JSON here: only their number and order matter to the parts.
  const caches = (n: number, kind: string) => Array.from({ length: n }, (_, i) => ({ id: `${kind}-${i}`, padding: "x".repeat(900) })) as unknown as WatcherSnapshot["groups"];
  return {
    groups: caches(1_000, "group"), clusters: caches(3_100, "cluster"), serverless: caches(3, "serverless"),
    tags: [["arn:a", { team: "a" }]], eventRoles: [["cluster-1", { role: "primary", t: 5 }]], recentEvents: [], newestEventAt: 7,
    alarms: [], transitions: [], capacity: { at: 3, metrics: 2, series: [["k1", 1, 2, "AAAA"], ["k2", 1, 2, "BBBB"]] as never }, cost: { inputs: null, prices: null },
    ...over,
  };
}

function roundTrip(whole: WatcherSnapshot, points: string[] = []) {
  const rows = snapshotRows({ type: "snapshot", at: 9, state: whole, meta }, points.map((p) => () => p));
  const parts = [...rows.parts];
  const head = rows.head();
  const assembly = new SnapshotAssembly(JSON.parse(head) as SnapshotHead);
  for (const part of parts) assembly.add(part);
  return { head, parts, assembly };
}

describe("a snapshot's parts", () => {
  it("carries the topology, tags and capacity series in parts under a megabyte, the rest in a head of a few kB", () => {
    const whole = state();
    const { head, parts, assembly } = roundTrip(whole, ['[["m1",0,[],""]]']);
    expect(head.length).toBeLessThan(2_000);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(1e6);
    expect(assembly.head.partKinds?.[0]).toBe("points");
    expect(new Set(assembly.head.partKinds)).toEqual(new Set(["points", "groups", "clusters", "serverless", "tags", "capacity"]));
    expect(assembly.head.parts).toBe(parts.length);
    expect(assembly.head.state).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(assembly.points).toEqual([[["m1", { first: 0, slots: new Float64Array(0), readUntil: 0 }]]]);
  });

  it("keeps a failed capacity read (no series) as it was", () => {
    const { assembly } = roundTrip(state({ capacity: { at: 3, metrics: 2, series: null }, groups: [], clusters: [] }));
    expect(assembly.head.state.capacity).toEqual({ at: 3, metrics: 2, series: null });
    expect(assembly.head.partKinds).toEqual(["serverless", "tags"]);
  });

  it("reads an older leader's head (state inline, no part kinds) with every part as points", () => {
    const whole = state({ groups: [], clusters: [] });
    const assembly = new SnapshotAssembly(JSON.parse(JSON.stringify({ type: "snapshot", at: 9, state: whole, parts: 1, meta })) as SnapshotHead);
    assembly.add('[["m1",0,[],""]]');
    expect(assembly.head.state).toEqual(JSON.parse(JSON.stringify(whole)));
    expect(assembly.points).toHaveLength(1);
  });

  it("refuses a part of a kind it does not know rather than apply half a snapshot", () => {
    const assembly = new SnapshotAssembly({ type: "snapshot", at: 9, state: state(), parts: 1, partKinds: ["later" as never], meta } as SnapshotHead);
    expect(() => assembly.add("[]")).toThrow(/unknown kind: later/);
  });
});
