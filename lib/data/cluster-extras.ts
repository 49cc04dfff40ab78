import "server-only";
import { describeEvents, getMetricSeries, isNotFound, type AwsProblem, type CacheEvent, type MetricRequest, type MetricSeries } from "@/lib/aws";
import { toEventViews } from "./events";
import { assessHealth } from "./health";
import { healthFromSeries, type HealthPlan } from "./health-metrics";
import type { ClusterDetail, ClusterSummary, NodeView } from "./model";
import { toProblem } from "./problems";
import type { BareSummary } from "./summaries";
import type { TimeWindow } from "./time-range";
import type { Place } from "@/lib/place";

export async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** A cache's tags as its region's watcher read them (GetResources), with the reason when no read answered yet. */
export interface KnownTags {
  tags: Record<string, string>;
  problem: AwsProblem | null;
}

export interface Extras {
  tags: Record<string, string>;
  series: Map<string, MetricSeries>;
  events: ClusterDetail["events"];
  /** The same events as AWS told them, for deciding roles. */
  cacheEvents: CacheEvent[];
  problems: AwsProblem[];
}

/**
 * Metrics and events of one cluster, fetched in parallel, with its tags as the watcher knows them (no per-cache tag
 * call); each that fails becomes a problem, not a failed page.
 */
export async function loadExtras(place: Place, tags: KnownTags, requests: MetricRequest[], window: TimeWindow, sources: Set<string>): Promise<Extras> {
  const problems: AwsProblem[] = tags.problem ? [tags.problem] : [];
  const range = { start: new Date(window.start), end: new Date(window.end) };
  const [series, events] = await Promise.allSettled([
    getMetricSeries(place, requests, range),
    describeEvents(place, range),
  ]);
  const value = <T,>(r: PromiseSettledResult<T>, what: string, fallback: T) => {
    if (r.status === "fulfilled") return r.value;
    problems.push(toProblem(r.reason, place, what));
    return fallback;
  };
  const cacheEvents = value(events, "events", []).filter((e) => sources.has(e.sourceId));
  return {
    tags: tags.tags,
    series: value(series, "metrics", new Map()),
    events: toEventViews(cacheEvents),
    cacheEvents,
    problems,
  };
}


/** The summary with tags and health judged from the fetched series, as the fleet row judges it. */
export function withHealth(bare: BareSummary, plan: HealthPlan, extras: Extras, judged: TimeWindow, nodes: NodeView[]): ClusterSummary {
  const measured = extras.series.size ? healthFromSeries(plan, extras.series, judged) : null;
  const assessment = assessHealth(measured?.figures ?? null, bare.status, nodes.map((n) => ({ id: n.cacheClusterId, status: n.status })));
  // The page's own alarms come from the region's watcher (ClusterDetail.alarms), not from this summary.
  return { ...bare, tags: extras.tags, health: { ...assessment, figures: measured?.figures ?? null, trends: measured?.trends ?? null }, alarms: null };
}
