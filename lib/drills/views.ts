import "server-only";
import type { ChartModel } from "@/lib/data/model";
import { getDrillStore } from "@/lib/drills";
import { drillCharts, drillMarkers, type DrillMarker } from "@/lib/drills/charts";
import { measure, shardPhase, type ShardPhase } from "@/lib/drills/measure";
import type { Drill, DrillHistoryItem, DrillReport, TimelineEntry } from "@/lib/drills/model";
import { buildReport } from "@/lib/drills/report";
import type { DrillFilter } from "@/lib/drills/store";
import { computeTrend, type Trend } from "@/lib/drills/trends";
import { placeOf } from "@/lib/place";

// What the drill pages show, read from the store (and, for a running drill, CloudWatch): plain data for components.

export interface DrillView {
  drill: Drill;
  timeline: TimelineEntry[];
  /** The stored report once the drill ended; while it runs, the figures so far. */
  report: DrillReport;
  phases: { shard: string; phase: ShardPhase }[];
  charts: ChartModel[];
  chartsProblem: string | null;
  window: { start: number; end: number };
  markers: DrillMarker[];
  renderedAt: number;
}

function membersOf(timeline: TimelineEntry[]): string[] {
  const started = timeline.find((e): e is TimelineEntry<"drill-started"> => e.kind === "drill-started");
  return started?.data.topology.shards.flatMap((s) => [...(s.primary ? [s.primary] : []), ...s.replicas].map((n) => n.cacheClusterId)) ?? [];
}

/** A running drill's charts are read again at most this often, whoever asks (its page's viewers, its push stream). */
export const drillChartsEveryMs = 10_000;
const chartReads = new Map<number, { at: number; read: Promise<{ charts: ChartModel[]; chartsProblem: string | null }> }>();

/** One CloudWatch read of a drill's charts for every viewer within drillChartsEveryMs (a finished drill keeps its own). */
function sharedCharts(drill: Drill, members: string[], start: number, end: number, now: number) {
  const held = chartReads.get(drill.id);
  if (held && now - held.at < drillChartsEveryMs) return held.read;
  const read = drillCharts(placeOf(drill), members, start, end).then(
    (charts) => ({ charts, chartsProblem: null }),
    (error: unknown) => ({ charts: [] as ChartModel[], chartsProblem: `Metrics could not be read from CloudWatch: ${error instanceof Error ? error.message : String(error)}` }),
  );
  for (const [id, entry] of chartReads) if (now - entry.at >= drillChartsEveryMs) chartReads.delete(id);
  chartReads.set(drill.id, { at: now, read });
  return read;
}

export async function loadDrillView(id: number, now = Date.now()): Promise<DrillView | null> {
  const store = await getDrillStore();
  const drill = await store.get(id);
  if (!drill) return null;
  const timeline = await store.timeline(id);
  const stored = drill.status === "running" ? undefined : await store.report(id);
  const report = stored ? { ...stored, status: drill.status } : buildReport(drill, timeline);
  const start = Date.parse(drill.requestedAt) - 2 * 60_000;
  const end = drill.finishedAt ? Date.parse(drill.finishedAt) + 30_000 : now + 10_000;
  const { charts, chartsProblem } =
    drill.status === "running" || report.charts.length === 0 ? await sharedCharts(drill, membersOf(timeline), start, end, now) : { charts: report.charts, chartsProblem: null };
  const measured = measure(drill, timeline);
  return {
    drill,
    timeline,
    report,
    phases: measured.shards.map((s) => ({ shard: s.shard, phase: shardPhase(s, drill.status) })),
    charts,
    chartsProblem,
    window: { start, end },
    markers: drillMarkers(timeline),
    renderedAt: now,
  };
}

export interface DrillHistory {
  items: DrillHistoryItem[];
  trends: Trend[];
}

export async function loadHistory(filter: DrillFilter): Promise<DrillHistory> {
  const items = await (await getDrillStore()).history({ limit: 200, ...filter });
  return { items, trends: [computeTrend(items, "newPrimaryMs"), computeTrend(items, "healthyMs"), computeTrend(items, "writeOutageMs")] };
}
