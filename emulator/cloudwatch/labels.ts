import type { Series } from "./math/values";

/**
 * Dynamic labels: `${LABEL}`, `${PROP('MetricName'|'Namespace'|'Period'|'Stat'|'Dim.<name>')}` and the series
 * summaries `${AVG}`, `${MIN}`, `${MAX}`, `${SUM}`, `${FIRST}`, `${LAST}`, `${DATAPOINT_COUNT}`. Unknown placeholders
 * render empty, as CloudWatch does.
 */
export function renderLabel(template: string, series: Series): string {
  return template.replace(/\$\{([^}]*)\}/g, (_, body: string) => placeholder(body.trim(), series));
}

export function isDynamicLabel(label: string): boolean {
  return /\$\{[^}]*\}/.test(label);
}

function placeholder(body: string, s: Series): string {
  const prop = /^PROP\(\s*['"]([^'"]+)['"]\s*\)$/.exec(body);
  if (prop) return property(prop[1], s);
  const values = s.values;
  const summaries: Record<string, () => number | undefined> = {
    AVG: () => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined),
    MIN: () => (values.length ? Math.min(...values) : undefined),
    MAX: () => (values.length ? Math.max(...values) : undefined),
    SUM: () => values.reduce((a, b) => a + b, 0),
    FIRST: () => values[0],
    LAST: () => values[values.length - 1],
    DATAPOINT_COUNT: () => values.length,
  };
  if (body === "LABEL") return s.label;
  const summary = Object.hasOwn(summaries, body) ? summaries[body]() : undefined;
  return summary === undefined ? "" : String(Math.round(summary * 1000) / 1000);
}

function property(name: string, s: Series): string {
  if (name === "Period") return String(s.period);
  if (!s.meta) return "";
  if (name === "MetricName") return s.meta.metricName;
  if (name === "Namespace") return s.meta.namespace;
  if (name === "Stat") return s.meta.stat;
  if (name.startsWith("Dim.")) return s.meta.dimensions.find((d) => d.Name === name.slice(4))?.Value ?? "";
  return "";
}
