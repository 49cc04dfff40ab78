import "server-only";
import { getMetricSeries } from "@/lib/aws";
import type { ChartModel } from "@/lib/data/model";
import { nodeRequests, nodeValues, redisNodeMetrics } from "@/lib/data/node-metrics";
import { timeGrid, toChartRows, type Values } from "@/lib/data/series";
import { choosePeriod } from "@/lib/data/time-range";
import type { TimelineEntry } from "@/lib/drills/model";
import type { Place } from "@/lib/place";

// The two charts a drill is watched by (AWS FIS's own sample watches the same): replication lag per replica and client
// connections per node, over the drill's window, with the drill's moments as markers.

export interface DrillMarker {
  t: number;
  label: string;
  failover: boolean;
}

const drillMetrics = { lag: redisNodeMetrics.lag, connections: redisNodeMetrics.connections };

export async function drillCharts(place: Place, cacheClusterIds: string[], start: number, end: number): Promise<ChartModel[]> {
  const period = choosePeriod(start, end, Date.now(), 300);
  const nodes = cacheClusterIds.map((cacheClusterId) => ({ cacheClusterId, nodeId: "0001" }));
  const series = await getMetricSeries(place, nodeRequests(nodes, drillMetrics, period), { start: new Date(start), end: new Date(end) });
  const grid = timeGrid(start, end, period);
  const read = nodeValues(series, grid);
  const chart = (id: string, title: string, unit: ChartModel["unit"], metric: keyof typeof drillMetrics): ChartModel => {
    const data: Record<string, Values> = {};
    const lines = nodes.map((node, i) => {
      data[`n${i}`] = read(node, metric);
      return { key: `n${i}`, label: node.cacheClusterId };
    });
    return { id, title, unit, rows: toChartRows(grid, data), lines };
  };
  return [chart("replication-lag", "Replication lag", "seconds", "lag"), chart("connections", "Client connections", "count", "connections")];
}

/** The API calls, primary changes and recoveries, drawn as vertical lines on the charts. */
export function drillMarkers(timeline: TimelineEntry[]): DrillMarker[] {
  return timeline
    .filter((e) => e.kind === "api-call" || e.kind === "primary-change" || e.kind === "shard-healthy")
    .map((e) => ({ t: Date.parse(e.at), label: e.message, failover: e.kind === "primary-change" }));
}
