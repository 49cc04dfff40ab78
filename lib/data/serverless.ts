import "server-only";
import { addressOf, describeServerlessCaches, type Cache } from "@/lib/aws";
import { loadExtras, orNull, withHealth, type KnownTags } from "./cluster-extras";
import { healthRequests } from "./health-metrics";
import type { ChartModel, ChartUnit, ClusterDetail } from "./model";
import { serverlessRequests, serverlessValues, type serverlessMetrics } from "./node-metrics";
import { perSecond, timeGrid, toChartRows, type Grid, type Values } from "./series";
import { summarizeServerless } from "./summaries";
import { healthWindow, type TimeWindow } from "./time-range";
import type { Place } from "@/lib/place";

function single(id: string, title: string, unit: ChartUnit, lines: Record<string, { label: string; values: Values }>, grid: Grid): ChartModel {
  return {
    id,
    title,
    unit,
    rows: toChartRows(grid, Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v.values]))),
    lines: Object.entries(lines).map(([key, v]) => ({ key, label: v.label })),
  };
}

/** A serverless cache has no nodes, shards or replicas to show: its page is usage against its limits. */
export async function serverlessDetail(place: Place, cache: Cache, window: TimeWindow, tags: KnownTags): Promise<ClusterDetail> {
  const { summary, plan } = summarizeServerless(cache, place);
  const judged = healthWindow(window, Date.now());
  const requests = [...serverlessRequests(summary.id, window.period), ...healthRequests([plan], judged.period)];
  const extras = await loadExtras(place, tags, requests, window, new Set([summary.id]));
  const grid = timeGrid(window.start, window.end, window.period);
  const read = serverlessValues(extras.series, grid, summary.id);
  const rate = (m: keyof typeof serverlessMetrics) => perSecond(read(m), window.period);
  const limits = cache.usageLimits;
  const endpoint = addressOf(cache.endpoint);
  const reader = addressOf(cache.readerEndpoint);
  return {
    summary: withHealth(summary, plan, extras, judged, []),
    description: cache.description,
    multiAz: null,
    automaticFailover: null,
    endpoints: [
      ...(endpoint ? [{ label: "Endpoint", address: endpoint }] : []),
      ...(reader ? [{ label: "Reader endpoint", address: reader }] : []),
    ],
    nodes: [],
    shards: [],
    zones: [],
    charts: [
      single("hit-rate", "Hit rate", "percent", { hitRate: { label: "Hit rate", values: read("hitRate") } }, grid),
      single("data-stored", "Data stored", "bytes", { bytes: { label: "Bytes used", values: read("bytesUsed") } }, grid),
      single("ecpus", "ElastiCache Processing Units per second", "perSecond", { ecpus: { label: "ECPUs", values: rate("ecpus") } }, grid),
      single("latency", "Request latency", "microseconds", {
        read: { label: "Reads", values: read("readLatency") },
        write: { label: "Writes", values: read("writeLatency") },
      }, grid),
      single("commands", "Commands per second", "perSecond", {
        total: { label: "All commands", values: rate("commands") },
        throttled: { label: "Throttled", values: rate("throttled") },
      }, grid),
    ],
    events: extras.events,
    window,
    problems: extras.problems,
    facts: [
      ...(limits?.dataStorage ? [{ label: "Data storage limit", value: `${limits.dataStorage.maximum} ${limits.dataStorage.unit}` }] : []),
      ...(limits?.ecpuPerSecond ? [{ label: "ECPU limit", value: `${limits.ecpuPerSecond.toLocaleString("en-US")} per second` }] : []),
      ...(cache.createdAt ? [{ label: "Created", value: cache.createdAt.slice(0, 16).replace("T", " ") + " UTC" }] : []),
    ],
  };
}

export async function findServerlessCache(place: Place, name: string): Promise<Cache | null> {
  return (await orNull(describeServerlessCaches(place, name)))?.[0] ?? null;
}
