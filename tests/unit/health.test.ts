import { describe, expect, it } from "vitest";
import { assessHealth, type HealthFigures } from "@/lib/data/health";

const calm: HealthFigures = { hitRate: 97, lookups: 50_000, evictions: 0, evictionRun: 0, replicationLag: 0, engineCpu: 12, memory: 40 };

describe("assessHealth", () => {
  it("calls a calm cluster healthy", () => {
    expect(assessHealth(calm, "available")).toEqual({ level: "healthy", problems: [] });
  });

  it("names memory pressure: warning above 90%, critical above 95%", () => {
    expect(assessHealth({ ...calm, memory: 91 }, "available")).toMatchObject({ level: "warning", problems: [{ code: "memory", summary: "Memory 91% (limit 90%)" }] });
    expect(assessHealth({ ...calm, memory: 96.2 }, "available").level).toBe("critical");
    expect(assessHealth({ ...calm, memory: 90 }, "available").level).toBe("healthy");
  });

  it("flags hit rate under 80% and under 40%, but only with enough lookups to mean something", () => {
    expect(assessHealth({ ...calm, hitRate: 72 }, "available").problems).toEqual([{ code: "hit-rate", level: "warning", summary: "Hit rate 72% (target 80%)" }]);
    expect(assessHealth({ ...calm, hitRate: 31 }, "available").level).toBe("critical");
    expect(assessHealth({ ...calm, hitRate: 31, lookups: 20 }, "available").level).toBe("healthy");
  });

  it("treats evictions as a problem only when sustained over 3 consecutive periods", () => {
    expect(assessHealth({ ...calm, evictions: 40, evictionRun: 2 }, "available").level).toBe("healthy");
    expect(assessHealth({ ...calm, evictions: 12_345, evictionRun: 3 }, "available").problems).toEqual([
      { code: "evictions", level: "warning", summary: "Sustained evictions (12,345 in window)" },
    ]);
  });

  it("grades replication lag and engine CPU", () => {
    expect(assessHealth({ ...calm, replicationLag: 2 }, "available").problems[0]).toMatchObject({ code: "replication-lag", level: "warning", summary: "Replication lag 2.0 s" });
    expect(assessHealth({ ...calm, replicationLag: 12 }, "available").level).toBe("critical");
    expect(assessHealth({ ...calm, engineCpu: 85 }, "available").problems[0]).toMatchObject({ code: "engine-cpu", level: "warning" });
    expect(assessHealth({ ...calm, engineCpu: 93 }, "available").level).toBe("critical");
  });

  it("lists critical problems first", () => {
    const { problems } = assessHealth({ ...calm, memory: 92, engineCpu: 95 }, "available");
    expect(problems.map((p) => [p.code, p.level])).toEqual([["engine-cpu", "critical"], ["memory", "warning"]]);
  });

  it("marks failed statuses critical and unavailable nodes as warnings, but not a cluster that is merely modifying", () => {
    expect(assessHealth(calm, "create-failed").level).toBe("critical");
    expect(assessHealth(calm, "modifying").level).toBe("healthy");
    expect(assessHealth(calm, "available", [{ id: "orders-002", status: "rebooting cache cluster nodes" }]).problems).toEqual([
      { code: "node-status", level: "warning", summary: "orders-002 rebooting cache cluster nodes" },
    ]);
  });

  it("says unknown, not healthy, when there is no data at all", () => {
    expect(assessHealth(null, "available").level).toBe("unknown");
    expect(assessHealth({ hitRate: null, lookups: null, evictions: null, evictionRun: 0, replicationLag: null, engineCpu: null, memory: null }, "available").level).toBe("unknown");
  });
});
