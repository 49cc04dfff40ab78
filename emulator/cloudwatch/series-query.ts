import type { MetricIdentity } from "./dimensions";
import { seriesFrom, type Series } from "./math/values";
import type { MetricStore, SeriesView } from "./metric-store";
import { compileSearch } from "./search-expression";
import { alignStart, statValue, type Stat } from "./statistics";

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

/** The metrics a SEARCH expression selects, in a stable order, each labelled by what tells them apart. */
export function searchSeries(store: MetricStore, region: string, query: string, req: SeriesRequest): { series: Series[]; truncated: boolean } {
  const matches = compileSearch(query);
  const found = [...store.all(region)].filter((s) => matches(s.id)).sort((a, b) => (a.key < b.key ? -1 : 1));
  const kept = found.slice(0, MAX_SEARCH_RESULTS);
  const names = new Set(kept.map((s) => s.id.metricName));
  const series = kept.map((s) => {
    const parts = s.id.dimensions.map((d) => d.Value);
    if (names.size > 1 || parts.length === 0) parts.push(s.id.metricName);
    return toSeries(store, s, s.id, req, parts.join(" "));
  });
  return { series, truncated: found.length > kept.length };
}

function toSeries(store: MetricStore, stored: SeriesView | undefined, id: MetricIdentity, req: SeriesRequest, label: string): Series {
  const meta = { namespace: id.namespace, metricName: id.metricName, dimensions: id.dimensions, stat: req.stat.name };
  if (!stored || (req.unit && (stored.unit ?? "None") !== req.unit)) return { label, timestamps: [], values: [], period: req.period, meta };
  const { timestamps, aggregates } = store.aggregate(stored, alignStart(req.start, req.period), req.end, req.period, req.stat.kind === "percentile");
  const values = aggregates.map((a) => statValue(a, req.stat) ?? NaN);
  return seriesFrom(label, req.period, timestamps, values, meta);
}
