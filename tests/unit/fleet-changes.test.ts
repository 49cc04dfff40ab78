import { describe, expect, it, vi } from "vitest";
import { judgeLifecycle } from "@/lib/posture/engine-lifecycle";
import { createFleetStore } from "@/components/fleet/fleet-store";
import { applyFleetChanges } from "@/lib/data/fleet-changes";
import { compactValue, toFleetRows } from "@/lib/data/fleet-rows";
import type { ClusterSummary } from "@/lib/data/model";
import { fleetRow } from "../helpers/fleet-rows";

const a = fleetRow("alpha");
const b = fleetRow("bravo", { region: "eu-west-1" });
const rows = [a, b];

describe("applying pushed fleet changes", () => {
  it("changes the named row's fields and keeps every other row the same object", () => {
    const next = applyFleetChanges(rows, [{ type: "fields", key: b.key, fields: { status: "modifying", activity: ["Primary moving to bravo-002"] } }]);
    expect(next).not.toBe(rows);
    expect(next[0]).toBe(a);
    expect(next[1]).toMatchObject({ id: "bravo", status: "modifying", activity: ["Primary moving to bravo-002"], nodes: 3 });
    expect(rows[1].status).toBe("available");
  });

  it("replaces health as a whole", () => {
    const health = { level: "critical" as const, problems: [{ code: "memory" as const, level: "critical" as const, summary: "Memory 97% (critical above 95%)" }], figures: null };
    expect(applyFleetChanges(rows, [{ type: "health", key: a.key, health }])[0].health).toEqual(health);
  });

  it("adds new caches, replaces known ones and removes deleted ones", () => {
    const charlie = fleetRow("charlie");
    const next = applyFleetChanges(rows, [
      { type: "upsert", row: charlie },
      { type: "remove", key: a.key },
      { type: "upsert", row: { ...b, nodes: 5 } },
      { type: "fields", key: charlie.key, fields: { nodes: 4 } },
    ]);
    expect(next.map((r) => [r.id, r.nodes])).toEqual([["bravo", 5], ["charlie", 4]]);
  });

  it("ignores changes for rows it does not hold and returns the same array when nothing applied", () => {
    expect(applyFleetChanges(rows, [{ type: "fields", key: "nowhere/replication-group/x", fields: { status: "deleting" } }, { type: "remove", key: "gone" }])).toBe(rows);
    expect(applyFleetChanges(rows, [])).toBe(rows);
  });

  it("puts a revised point in its slot and moves the window forward for a newer one", () => {
    // alpha's trends: slots at 0, 60 s, 120 s, 180 s; hitRate 90..93, memory 40..43.
    const revised = applyFleetChanges(rows, [{ type: "points", key: a.key, t: 185_000, values: { hitRate: 50 } }])[0].trends!;
    expect(revised.hitRate).toEqual([90, 91, 92, 50]);
    expect(revised.start).toBe(0);

    const moved = applyFleetChanges(rows, [{ type: "points", key: a.key, t: 300_000, values: { hitRate: 70, memory: null } }])[0].trends!;
    expect(moved.start).toBe(120_000);
    expect(moved.hitRate).toEqual([92, 93, null, 70]);
    expect(moved.memory).toEqual([42, 43, null, null]);
    expect(moved.engineCpu).toEqual([12, 13, null, null]);

    const far = applyFleetChanges(rows, [{ type: "points", key: a.key, t: 3_600_000, values: { engineCpu: 5 } }])[0].trends!;
    expect(far.engineCpu).toEqual([null, null, null, 5]);
    expect(far.start).toBe(3_600_000 - 3 * 60_000);
  });

  it("drops points older than the window", () => {
    const row = { ...a, trends: { ...a.trends!, start: 600_000 } };
    expect(applyFleetChanges([row], [{ type: "points", key: a.key, t: 0, values: { hitRate: 1 } }])[0].trends).toEqual(row.trends);
  });
});

describe("the fleet store", () => {
  it("notifies subscribers only when a change altered the rows", () => {
    const store = createFleetStore(rows);
    const heard = vi.fn();
    const unsubscribe = store.subscribe(heard);
    store.apply([{ type: "remove", key: "unknown" }]);
    expect(heard).not.toHaveBeenCalled();
    store.apply([{ type: "fields", key: a.key, fields: { status: "snapshotting" } }]);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(store.rows()[0].status).toBe("snapshotting");
    store.replace(rows);
    expect(store.rows()).toBe(rows);
    unsubscribe();
    store.apply([{ type: "remove", key: a.key }]);
    expect(heard).toHaveBeenCalledTimes(2);
  });
});

describe("the rows the page ships", () => {
  it("keeps three significant digits of trend values and places the trends on the window's grid", () => {
    expect([compactValue(12.345678), compactValue(0.000123456), compactValue(98765), compactValue(null), compactValue(Number.NaN)]).toEqual([12.3, 0.000123, 98800, null, null]);
    const summary = {
      kind: "cache-cluster", id: "pricing", account: "default", region: "eu-west-1", arn: "arn:aws:elasticache:eu-west-1:1:cluster:pricing", engine: "memcached", engineVersion: "1.6",
      clusterMode: null, nodeType: "cache.t4g.small", shards: null, nodes: 2, zones: [], status: "available", activity: [], reshardingPercent: null, tags: {},
      posture: { lifecycle: judgeLifecycle("memcached", "1.6", new Date(0)), controls: [] },
      href: "/clusters/eu-west-1/pricing",
      alarms: { present: 4, recommended: 6 },
      health: { level: "healthy", problems: [], figures: null, trends: { hitRate: [99.87654], evictions: [0], replicationLag: [null], engineCpu: [3.14159], memory: [null] } },
    } satisfies ClusterSummary;
    const [row] = toFleetRows({ clusters: [summary], window: { range: "1h", start: 90_000, end: 3_690_000, period: 120, label: "Last hour" } });
    expect(row.key).toBe("default/eu-west-1/cache-cluster/pricing");
    expect(row).not.toHaveProperty("arn");
    expect(row.alarms).toEqual({ present: 4, recommended: 6 });
    expect(row.trends).toEqual({ start: 0, step: 120_000, hitRate: [99.9], evictions: [0], replicationLag: [null], engineCpu: [3.14], memory: [null] });
  });
});
