import { describe, expect, it } from "vitest";
import { fleetSorts } from "@/components/fleet/fleet-columns";
import { filterFleet, filterOptions, parseFleetQuery, sortFleet } from "@/lib/data/fleet-query";
import type { ClusterSummary } from "@/lib/data/model";
import { postureToCsv } from "@/lib/posture/export";
import { fromCacheCluster } from "@/lib/aws/translate";
import { postureOf } from "@/lib/posture/posture";
import { fleetRow } from "../../helpers/fleet-rows";

describe("posture in the fleet's filters and sorts", () => {
  const rows = [
    fleetRow("flags", { engineVersion: "6.2.6", findings: [{ id: "ElastiCache.7", severity: "high" }, { id: "WA.multi-az", severity: "medium" }] }),
    fleetRow("legacy", { engineVersion: "5.0.6", findings: [{ id: "ElastiCache.5", severity: "medium" }] }),
    fleetRow("modern", { engine: "valkey", engineVersion: "8.0" }),
  ];
  const ids = (query: Record<string, string>) => filterFleet(rows, parseFleetQuery(query)).map((r) => r.id);

  it("filters by lifecycle state and by finding (any, high severity, one control); unknown values are dropped", () => {
    expect(ids({ lifecycle: "standard-ends-soon" })).toEqual(["flags"]);
    expect(ids({ lifecycle: "extended-support" })).toEqual(["legacy"]);
    expect(ids({ posture: "any" })).toEqual(["flags", "legacy"]);
    expect(ids({ posture: "high" })).toEqual(["flags"]);
    expect(ids({ posture: "ElastiCache.5" })).toEqual(["legacy"]);
    expect(ids({ posture: "ElastiCache.99", lifecycle: "constructor" })).toEqual(["flags", "legacy", "modern"]);
    expect(filterOptions(rows).controls).toEqual(["ElastiCache.5", "ElastiCache.7", "WA.multi-az"]);
  });

  it("sorts worst first: Extended Support before support ending soon; high findings before medium ones", () => {
    expect(sortFleet(rows, parseFleetQuery({ sort: "lifecycle" }), fleetSorts).map((r) => r.id)).toEqual(["legacy", "flags", "modern"]);
    expect(sortFleet(rows, parseFleetQuery({ sort: "posture" }), fleetSorts).map((r) => r.id)).toEqual(["flags", "legacy", "modern"]);
  });
});

describe("the posture export", () => {
  it("has a row per cache and control with the lifecycle, and neutralises cells a spreadsheet would run", () => {
    const cache = fromCacheCluster({ CacheClusterId: "=HYPERLINK(\"http://evil\")", Engine: "redis", EngineVersion: "6.2.6", NumCacheNodes: 1, CacheSubnetGroupName: "default", SnapshotRetentionLimit: 0, AutoMinorVersionUpgrade: true });
    const summary = { account: "production", region: "eu-west-1", kind: "cache-cluster", id: cache.id, engine: "redis", engineVersion: "6.2.6", posture: postureOf(cache, new Date("2026-12-04T00:00:00Z")) } as ClusterSummary;
    const lines = postureToCsv([summary]).split("\r\n");
    expect(lines[0]).toBe("account,region,kind,cache,engine,engine_version,lifecycle_state,standard_support_ends,extended_support_ends,automatic_upgrade_after,lifecycle,control,control_title,source,severity,outcome,detail");
    expect(lines).toHaveLength(1 + 9 + 1);
    expect(lines[1]).toMatch(/^production,eu-west-1,cache-cluster,"'=HYPERLINK\(""http:\/\/evil""\)",redis,6\.2\.6,standard-ends-soon,2027-01-31,2030-01-31,2030-01-31,/);
    expect(lines.find((l) => l.includes(",ElastiCache.7,"))).toMatch(/,high,fail,In the default subnet group$/);
    expect(lines.find((l) => l.includes(",ElastiCache.4,"))).toMatch(/,not-applicable,/);
  });
});
