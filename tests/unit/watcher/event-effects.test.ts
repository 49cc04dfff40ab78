import { describe, expect, it } from "vitest";
import { eventEffects, eventKey, type KnownCaches } from "@/lib/watcher/event-effects";

const known: KnownCaches = {
  groups: new Set(["orders", "catalog"]),
  clusters: new Map<string, string | null>([
    ["orders-001", "orders"],
    ["orders-002", "orders"],
    ["catalog-0001-001", "catalog"],
    ["catalog-0001-002", "catalog"],
    ["flags", null],
  ]),
  serverless: new Set(["profiles"]),
};

const at = (t: number, sourceType: string, source: string, message: string) => ({ t, sourceType, source, message });

describe("what new events make the watcher do", () => {
  it("describes only the caches the events name, a member's event naming its group", () => {
    const effects = eventEffects(
      [
        at(1, "cache-cluster", "orders-002", "Recovering cache nodes 0001"),
        at(2, "cache-cluster", "flags", "Modifying cache node type from cache.t3.small to cache.t3.medium"),
        at(3, "serverless-cache", "profiles", "Serverless cache profiles modified"),
      ],
      known,
    );
    expect(effects).toMatchObject({ describeAll: false, roles: [] });
    expect([...effects.groups]).toEqual(["orders"]);
    expect([...effects.clusters]).toEqual(["flags"]);
    expect([...effects.serverless]).toEqual(["profiles"]);
  });

  it("describes the whole region for a cache it does not know or a creation or deletion", () => {
    expect(eventEffects([at(1, "replication-group", "new-group", "Replication group new-group created")], known).describeAll).toBe(true);
    expect(eventEffects([at(1, "cache-cluster", "orders-004", "Cache cluster created")], known).describeAll).toBe(true);
    expect(eventEffects([at(1, "replication-group", "orders", "Replication group orders deleted")], known).describeAll).toBe(true);
  });

  it("takes the new primary from a failover event, once for the group and cluster copies AWS sends", () => {
    const message = "Failover from primary node catalog-0001-001 to replica node catalog-0001-002 completed";
    const effects = eventEffects([at(5, "cache-cluster", "catalog-0001-002", message), at(5, "replication-group", "catalog", message)], known);
    expect(effects.roles).toEqual([{ group: "catalog", fromPrimary: "catalog-0001-001", toPrimary: "catalog-0001-002", t: 5 }]);
    expect([...effects.groups]).toEqual(["catalog"]);
  });

  it("keeps successive failovers in time order so the last one wins", () => {
    const effects = eventEffects(
      [
        at(9, "replication-group", "orders", "Failover from primary node orders-002 to replica node orders-001 completed"),
        at(4, "replication-group", "orders", "Failover from primary node orders-001 to replica node orders-002 completed"),
      ],
      known,
    );
    expect(effects.roles.map((r) => r.toPrimary)).toEqual(["orders-002", "orders-001"]);
  });

  it("reads a role change where lib/aws/roles.ts does (both of AWS's wordings), and nowhere else", () => {
    const moves = (message: string) => eventEffects([at(5, "replication-group", "orders", message)], known).roles.map((r) => [r.fromPrimary, r.toPrimary]);
    expect(moves("Failover from primary node orders-001 to replica node orders-002 completed")).toEqual([["orders-001", "orders-002"]]);
    expect(moves("Failover from orders-002 to orders-001 completed")).toEqual([["orders-002", "orders-001"]]);
    expect(moves("Test Failover API called for node group 0001")).toEqual([]);
    expect(moves("Failover from primary node orders-001 to replica node orders-002 started")).toEqual([]);
  });

  it("tells repeats (from the overlapping next poll) apart from distinct events", () => {
    const a = at(1, "cache-cluster", "flags", "Recovering cache nodes 0001");
    expect(eventKey(a)).toBe(eventKey({ ...a }));
    expect(eventKey(a)).not.toBe(eventKey({ ...a, t: 2 }));
  });
});
