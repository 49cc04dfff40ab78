import type { MetricIdentity } from "./dimensions";
import { seriesFrom, type Series } from "./math/values";
import type { MetricStore, SeriesView } from "./metric-store";
import { compileSearch } from "./search-expression";
import { alignStart, statValue, type Stat } from "./statistics";
import type { TimeSlice } from "../server/time-slice";

/** CloudWatch stops a SEARCH at 500 metrics. */
export const MAX_SEARCH_RESULTS = 500;

export interface SeriesRequest {
  stat: Stat;
  period: number;
  start: number;
  end: number;
  unit?: string;
}

/** One metric's statistic per period over [start, end); empty when the metric or unit has no data. */
export function readSeries(store: MetricStore, region: string, id: MetricIdentity, req: SeriesRequest, label: string): Series {
  return toSeries(store, store.find(region, id), id, req, label);
}

export interface SearchResult {
  series: Series[];
  truncated: boolean;
}

/** Series matched between two pauses of a SEARCH; each pause lets a caller hand the event loop back. */
const MATCHES_PER_STEP = 2_000;

/**
 * The metrics a SEARCH expression selects, in a stable order, each labelled by what tells them apart: the work in
 * steps (a pause every few thousand series scanned and after each series read), run at once or with pauses.
 */
function* searchSteps(store: MetricStore, region: string, query: string, req: SeriesRequest): Generator<void, SearchResult> {
  const matches = compileSearch(query);
  const found: SeriesView[] = [];
  let scanned = 0;
  for (const s of store.all(region)) {
    if (matches(s.id)) found.push(s);
    if (++scanned % MATCHES_PER_STEP === 0) yield;
  }
  found.sort((a, b) => (a.key < b.key ? -1 : 1));
  const kept = found.slice(0, MAX_SEARCH_RESULTS);
  const names = new Set(kept.map((s) => s.id.metricName));
  const series: Series[] = [];
  for (const s of kept) {
    const parts = s.id.dimensions.map((d) => d.Value);
    if (names.size > 1 || parts.length === 0) parts.push(s.id.metricName);
    series.push(toSeries(store, s, s.id, req, parts.join(" ")));
    yield;
  }
  return { series, truncated: found.length > kept.length };
}

export function searchSeries(store: MetricStore, region: string, query: string, req: SeriesRequest): SearchResult {
  const steps = searchSteps(store, region, query, req);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** searchSeries, handing the event loop back whenever `slice` says so. */
export async function searchSeriesFairly(store: MetricStore, region: string, query: string, req: SeriesRequest, slice: TimeSlice): Promise<SearchResult> {
  const steps = searchSteps(store, region, query, req);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await slice.yieldIfDue();
  }
}

function toSeries(store: MetricStore, stored: SeriesView | undefined, id: MetricIdentity, req: SeriesRequest, label: string): Series {
  const meta = { namespace: id.namespace, metricName: id.metricName, dimensions: id.dimensions, stat: req.stat.name };
  if (!stored || (req.unit && (stored.unit ?? "None") !== req.unit)) return { label, timestamps: [], values: [], period: req.period, meta };
  const { timestamps, aggregates } = store.aggregate(stored, alignStart(req.start, req.period), req.end, req.period, req.stat.kind === "percentile");
  const values = aggregates.map((a) => statValue(a, req.stat) ?? NaN);
  return seriesFrom(label, req.period, timestamps, values, meta);
}
