import { describe, expect, it } from "vitest";
import { measure, shardPhase } from "@/lib/drills/measure";
import { buildReport } from "@/lib/drills/report";
import { judge } from "@/lib/drills/verdict";
import { at, drill, entry, node, probe, twoShardTimeline } from "./fixtures";

const twoShards = drill({ parameters: { shards: ["0001", "0002"], availabilityZone: null, durationSeconds: null, probe: false } });

describe("measurements from the timeline", () => {
  it("times each shard from its own API call, the slowest failover, and first call to last shard healthy", () => {
    const m = measure(twoShards, twoShardTimeline({ secondHealthy: true }));
    expect(m.shards.map((s) => [s.shard, s.outcome, s.newPrimaryMs, s.healthyMs])).toEqual([
      ["0001", "healthy", 8_000, 20_000],
      ["0002", "healthy", 12_000, 25_000],
    ]);
    expect(m.newPrimaryMs).toBe(12_000);
    expect(m.healthyMs).toBe(49_000);
    expect(m.shards[1]).toMatchObject({ oldPrimary: { cacheClusterId: "o-0002-001" }, newPrimary: { cacheClusterId: "o-0002-002", availabilityZone: "us-east-1c" } });
  });

  it("leaves time to healthy open while a shard has not recovered, and says what each shard is doing", () => {
    const m = measure(twoShards, twoShardTimeline({ secondHealthy: false }));
    expect(m.healthyMs).toBeNull();
    expect(m.shards[1].outcome).toBe("incomplete");
    expect(shardPhase(m.shards[1], "running")).toBe("recovering");
    expect(shardPhase(m.shards[1], "interrupted")).toBe("stopped");
    const before = measure(twoShards, twoShardTimeline({ secondHealthy: false }).slice(0, 3));
    expect(before.shards.map((s) => shardPhase(s, "running"))).toEqual(["failing-over", "waiting"]);
  });

  it("marks a shard that timed out or was refused", () => {
    const timeline = [...twoShardTimeline({ secondHealthy: false }), entry("error", 90_000, "0002", { timedOut: true }, "Shard 0002 did not recover")];
    expect(measure(twoShards, timeline).shards[1].outcome).toBe("timed-out");
    const refused = [entry("error", 1_000, "0001", {}, "TestFailover refused")];
    expect(measure(drill(), refused).shards[0].outcome).toBe("failed");
  });

  it("applies an AZ drill's single API call to every shard", () => {
    const az = drill({ kind: "az-power-interruption", parameters: { shards: ["0001", "0003"], availabilityZone: "us-east-1a", durationSeconds: 30, probe: false } });
    const timeline = [
      entry("api-call", 0, null, { operation: "InterruptAzPower", requestId: null, durationMs: 5, auditId: 4 }),
      entry("primary-change", 4_000, "0001", { oldPrimary: null, newPrimary: { cacheClusterId: "c-0001-002", availabilityZone: "us-east-1b" }, detectedBy: "event" }),
      entry("primary-change", 5_000, "0003", { oldPrimary: null, newPrimary: { cacheClusterId: "c-0003-002", availabilityZone: "us-east-1c" }, detectedBy: "event" }),
    ];
    expect(measure(az, timeline).newPrimaryMs).toBe(5_000);
  });
});

describe("verdict", () => {
  const objectives = { newPrimarySeconds: 30, healthySeconds: 120, writeOutageSeconds: 5 };
  const healthyShard = measure(drill(), [
    entry("api-call", 0, "0001", { operation: "TestFailover", requestId: null, durationMs: 1, auditId: null }),
    entry("primary-change", 8_000, "0001", { oldPrimary: null, newPrimary: { cacheClusterId: "x", availabilityZone: null }, detectedBy: "event" }),
    entry("shard-healthy", 20_000, "0001", {}),
  ]).shards;

  it("passes when every objective is met, in one sentence", () => {
    const v = judge({ status: "completed", objectives, newPrimaryMs: 8_000, healthyMs: 20_000, shards: healthyShard, probe: probe() });
    expect(v.verdict).toBe("pass");
    expect(v.summary).toBe(
      "Passed: time to new primary 8.0 s (objective ≤ 30.0 s); time to fully healthy 20.0 s (objective ≤ 2 min 00 s); longest window of failed writes 1.2 s (objective ≤ 5.0 s); acknowledged writes lost 0 keys (objective 0 keys).",
    );
  });

  it("fails on a missed objective, naming it, and on any acknowledged write lost", () => {
    const slow = judge({ status: "completed", objectives, newPrimaryMs: 31_000, healthyMs: 40_000, shards: healthyShard, probe: null });
    expect(slow.verdict).toBe("fail");
    expect(slow.summary).toBe("Failed: time to new primary 31.0 s (objective ≤ 30.0 s).");
    const lost = judge({ status: "completed", objectives, newPrimaryMs: 8_000, healthyMs: 20_000, shards: healthyShard, probe: probe({ keysLost: 2 }) });
    expect(lost.verdict).toBe("fail");
    expect(lost.checks.find((c) => c.objective === "data-loss")).toMatchObject({ measured: "2 keys", met: false });
  });

  it("fails a drill that could not be carried out, and is inconclusive for one aborted or interrupted", () => {
    const failedShard = [{ ...healthyShard[0], outcome: "timed-out" as const, healthyAt: null, healthyMs: null }];
    expect(judge({ status: "failed", objectives, newPrimaryMs: 8_000, healthyMs: null, shards: failedShard, probe: null }).verdict).toBe("fail");
    const partial = [{ ...healthyShard[0], outcome: "incomplete" as const, healthyAt: null, healthyMs: null }];
    const aborted = judge({ status: "aborted", objectives, newPrimaryMs: 8_000, healthyMs: null, shards: partial, probe: null });
    expect(aborted).toMatchObject({ verdict: "inconclusive", summary: "Inconclusive: the drill was aborted before every shard was drilled." });
    expect(judge({ status: "interrupted", objectives, newPrimaryMs: null, healthyMs: null, shards: partial, probe: null }).summary).toBe(
      "Inconclusive: CacheDeck stopped while the drill was running.",
    );
  });

  it("does not pass a drill whose probe could not measure", () => {
    const v = judge({ status: "completed", objectives, newPrimaryMs: 8_000, healthyMs: 20_000, shards: healthyShard, probe: probe({ problem: "no connection" }) });
    expect(v.verdict).toBe("inconclusive");
    expect(v.summary).toBe("Inconclusive: longest window of failed writes, acknowledged writes lost could not be measured.");
  });
});

describe("report", () => {
  it("is built from the drill and its timeline: figures, events, topology before, verdict", () => {
    const report = buildReport(twoShards, twoShardTimeline({ secondHealthy: true }), { topologyAfter: null });
    expect(report).toMatchObject({
      drillId: 7,
      newPrimaryMs: 12_000,
      healthyMs: 49_000,
      probe: null,
      events: [{ at: at(1_050), sourceIdentifier: "orders", message: "Test Failover API called for node group 0001" }],
      topologyBefore: { shards: [{ id: "0001", primary: { cacheClusterId: "o-0001-001" } }, { id: "0002" }] },
      verdict: { verdict: "pass" },
    });
  });

  it("names the primary before from the failover event when the drill could not tell the roles at the start", () => {
    const timeline = twoShardTimeline({ secondHealthy: true }).map((e) =>
      e.kind === "drill-started"
        ? { ...e, data: { topology: { capturedAt: at(0), shards: [{ id: "0001", primary: null, replicas: [node("o-0001-001", "us-east-1a"), node("o-0001-002", "us-east-1b")] }] } } }
        : e,
    );
    expect(buildReport(twoShards, timeline).topologyBefore?.shards[0]).toEqual({
      id: "0001",
      primary: node("o-0001-001", "us-east-1a"),
      replicas: [node("o-0001-002", "us-east-1b")],
    });
  });

  it("says the probe did not report when the drill stopped before it could verify", () => {
    const interrupted = drill({ status: "interrupted", parameters: { ...drill().parameters, probe: true } });
    const report = buildReport(interrupted, twoShardTimeline({ secondHealthy: false }).slice(0, 4));
    expect(report.probe?.problem).toMatch(/did not report/);
    expect(report.verdict.verdict).toBe("inconclusive");
  });

  it("takes the probe's figures from its final timeline entry", () => {
    const withProbe = drill({ parameters: { ...drill().parameters, probe: true } });
    const timeline = [...twoShardTimeline({ secondHealthy: true }).slice(0, 5), entry("probe", 22_000, null, { phase: "finished", result: probe({ keysLost: 1 }) })];
    expect(buildReport(withProbe, timeline).probe?.keysLost).toBe(1);
  });
});
