import { describe, expect, it } from "vitest";
import type { DrillHistoryItem } from "@/lib/drills/model";
import { computeTrend, median } from "@/lib/drills/trends";
import { cell, reportToMarkdown } from "@/lib/drills/markdown";
import { buildReport } from "@/lib/drills/report";
import { reportView } from "@/lib/drills/report-view";
import { formatElapsed } from "@/lib/drills/format";
import { formatDuration } from "@/lib/duration";
import { at, drill, entry, probe, twoShardTimeline } from "./fixtures";

function history(values: (number | null)[], status: DrillHistoryItem["status"] = "completed"): DrillHistoryItem[] {
  return values.map((v, i) => ({
    id: i + 1,
    kind: "test-failover",
    account: "default",
    region: "us-east-1",
    replicationGroupId: "orders",
    shards: ["0001"],
    status,
    verdict: "pass",
    requestedAt: at(i * 86_400_000),
    finishedAt: at(i * 86_400_000 + 60_000),
    startedBy: "Omar",
    newPrimaryMs: v,
    healthyMs: v === null ? null : v * 2,
    writeOutageMs: null,
    keysLost: null,
    tags: {},
  }));
}

describe("trends", () => {
  it("needs two completed drills", () => {
    expect(computeTrend(history([]), "newPrimaryMs")).toMatchObject({ direction: "insufficient-data", summary: "Time to new primary: no completed drill yet; a trend needs two." });
    expect(computeTrend(history([8_000]), "newPrimaryMs")).toMatchObject({ direction: "insufficient-data", recentMedian: 8_000 });
  });

  it("calls a recovery slower when the recent median is 20% or more above the earlier one", () => {
    const t = computeTrend(history([8_000, 9_000, 8_500, 8_000, 12_000, 13_000]), "newPrimaryMs");
    // recent = last 3 (8 000, 12 000, 13 000) → 12 000; baseline = the 3 before → 8 500
    expect(t).toMatchObject({ recentMedian: 12_000, baselineMedian: 8_500, direction: "slower" });
    expect(t.summary).toBe("Time to new primary is getting slower (41% longer): 12.0 s lately against 8.5 s before.");
  });

  it("calls small changes steady and big drops faster, and ignores drills that did not complete", () => {
    expect(computeTrend(history([10_000, 11_000]), "healthyMs").direction).toBe("steady");
    expect(computeTrend(history([10_000, 6_000]), "newPrimaryMs").direction).toBe("faster");
    const mixed = [...history([10_000, 10_500]), ...history([90_000], "failed").map((d) => ({ ...d, id: 99 }))];
    expect(computeTrend(mixed, "newPrimaryMs").points.map((p) => p.value)).toEqual([10_000, 10_500]);
  });

  it("orders by time whatever the input order, with a baseline of at most five drills", () => {
    const values = [20_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000];
    const t = computeTrend(history(values).reverse(), "newPrimaryMs");
    expect(t.points[0].value).toBe(20_000);
    expect(t.baselineMedian).toBe(1_000);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});

describe("Markdown export", () => {
  const report = buildReport(
    drill({ parameters: { shards: ["0001", "0002"], availabilityZone: null, durationSeconds: null, probe: true } }),
    [...twoShardTimeline({ secondHealthy: true }), entry("probe", 51_000, null, { phase: "finished", result: probe({ keysLost: 1, lostKeySample: ["cachedeck:drill:7:12"] }) })],
    { topologyAfter: null },
  );
  const markdown = reportToMarkdown(report, "https://cachedeck.example.com/drills/7");

  it("opens with the drill, the verdict and the headline figures", () => {
    expect(markdown.split("\n").slice(0, 3)).toEqual([
      "# Drill #7: Test failover of orders (us-east-1)",
      "",
      "**Verdict: FAIL** — Failed: acknowledged writes lost 1 key (objective 0 keys).",
    ]);
    expect(markdown).toContain("- Time to new primary: 12.0 s\n- Time to fully healthy: 49.0 s\n- Report: https://cachedeck.example.com/drills/7");
  });

  it("writes the page's report view: every figure and objective the page shows is in the export", () => {
    const view = reportView(report);
    for (const [label, value] of view.probe!.figures) expect(markdown).toContain(`| ${label} | ${value} |`);
    for (const o of view.objectives) expect(markdown).toContain(`| ${o.label} | ${o.measured ?? "—"} | ${o.target} |`);
    expect(view.topologyAfter).toBeNull();
  });

  it("has the objectives, shards, probe, topology and events as tables", () => {
    expect(markdown).toContain("| Time to new primary | 12.0 s | ≤ 30.0 s | yes |");
    expect(markdown).toContain("| 0002 | healthy | 2026-03-01 10:00:25 UTC | 12.0 s | 25.0 s | o-0002-001 (us-east-1b) | o-0002-002 (us-east-1c) |");
    expect(markdown).toContain("| Acknowledged keys verified / lost | 390 / 1 |");
    expect(markdown).toContain("| Slowest acknowledged write | 900 ms |");
    expect(markdown).toContain("Lost keys (sample): `cachedeck:drill:7:12`");
    expect(markdown).toContain("| 0001 | o-0001-001 (us-east-1a) | o-0001-002 (us-east-1b) |");
    expect(markdown).toContain("| 2026-03-01 10:00:01 UTC | orders | Test Failover API called for node group 0001 |");
  });

  it("keeps table cells intact whatever the text", () => {
    expect(cell("a|b\nc")).toBe("a\\|b c");
    expect(cell(null)).toBe("—");
  });
});

describe("formatting", () => {
  it("reads durations and elapsed times the way people say them", () => {
    expect([formatDuration(850), formatDuration(12_430), formatDuration(185_000), formatDuration(3_725_000), formatDuration(null)]).toEqual([
      "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min", "—",
    ]);
    expect(formatElapsed(at(0), at(72_340))).toBe("+1:12.3");
  });
});
