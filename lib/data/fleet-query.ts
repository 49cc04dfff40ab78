import { controlIds } from "@/lib/posture/controls";
import { lifecycleFilterLabels, type LifecycleFilter } from "@/lib/posture/engine-lifecycle";
import { z } from "@/lib/zod";
import type { HealthLevel, ProblemCode } from "./health";
import type { FleetRow } from "./fleet-rows";

const optionalText = z.string().trim().max(200).optional().catch(undefined);

/**
 * The fleet page's search params. Unknown values are dropped rather than failing the page. Which sort keys exist and
 * which columns filter is the columns' business (components/fleet/fleet-columns.tsx): an unknown sort key sorts by
 * health, a column filter is passed to `filterFleet` as a ColumnFilter.
 */
export const fleetQuerySchema = z.object({
  q: optionalText,
  account: optionalText,
  status: optionalText,
  health: z.enum(["healthy", "warning", "critical", "unknown"]).optional().catch(undefined),
  problem: optionalText,
  tag: optionalText,
  /** A lifecycle state that needs attention (lib/posture/engine-lifecycle.ts). */
  lifecycle: z.enum(Object.keys(lifecycleFilterLabels) as [LifecycleFilter, ...LifecycleFilter[]]).optional().catch(undefined),
  /** "any" finding, "high" severity findings, or one control's. */
  posture: z.enum(["any", "high", ...controlIds]).optional().catch(undefined),
  sort: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  /** Keep each account's rows together, in account order, sorted within by `sort`. */
  group: z.enum(["account"]).optional().catch(undefined),
});
export type FleetQuery = z.infer<typeof fleetQuerySchema>;

/** Next hands repeated params as arrays; the first value wins. */
export function parseFleetQuery(params: Record<string, string | string[] | undefined>): FleetQuery {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  return fleetQuerySchema.parse(flat);
}

export const severity: Record<HealthLevel, number> = { critical: 3, warning: 2, unknown: 1, healthy: 0 };

function tagMatches(tags: Record<string, string>, filter: string): boolean {
  const [key, ...rest] = filter.split("=");
  const value = rest.join("=");
  // The key comes from the URL: `?tag=constructor` must not match Object's own properties.
  if (!Object.hasOwn(tags, key.trim())) return false;
  return rest.length === 0 || tags[key.trim()] === value.trim();
}

function postureMatches(c: FleetRow, filter: NonNullable<FleetQuery["posture"]>): boolean {
  const findings = c.posture.findings;
  if (filter === "any") return findings.length > 0;
  if (filter === "high") return findings.some((f) => f.severity === "high");
  return findings.some((f) => f.id === filter);
}

// Rows are never mutated (a change makes a new row), so each row's text is built once, not once per keystroke.
const searchTexts = new WeakMap<FleetRow, string>();

function searchText(c: FleetRow): string {
  let text = searchTexts.get(c);
  if (text === undefined) {
    text = [c.id, c.account, c.region, c.engine, c.engineVersion, c.nodeType, c.status, ...c.activity, ...Object.entries(c.tags).map(([k, v]) => `${k}=${v}`)]
      .join(" ")
      .toLowerCase();
    searchTexts.set(c, text);
  }
  return text;
}

/** A column's filter as the URL sets it: rows whose `value` equals `wanted` stay. */
export interface ColumnFilter {
  value: (row: FleetRow) => string | null;
  wanted: string;
}

/** Runs in the browser on every keystroke of the search box and every filter choice, over the whole fleet. */
export function filterFleet(clusters: readonly FleetRow[], query: FleetQuery, columns: readonly ColumnFilter[] = []): FleetRow[] {
  const words = (query.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return clusters.filter(
    (c) =>
      (!query.account || c.account === query.account) &&
      columns.every((f) => f.value(c) === f.wanted) &&
      (!query.status || (query.status === "not-available" ? c.status !== "available" : c.status === query.status)) &&
      (!query.health || c.health.level === query.health) &&
      (!query.problem || (query.problem === "any" ? c.health.problems.length > 0 : c.health.problems.some((p) => p.code === (query.problem as ProblemCode)))) &&
      (!query.tag || tagMatches(c.tags, query.tag)) &&
      (!query.lifecycle || c.posture.lifecycle.state === query.lifecycle) &&
      (!query.posture || postureMatches(c, query.posture)) &&
      words.every((w) => searchText(c).includes(w)),
  );
}

/** How a column sorts: the value of a row (computed once per row per sort), and the direction of a first click. */
export interface SortSpec {
  value: (row: FleetRow) => number | string | null;
  firstDir: "asc" | "desc";
}

// One collator for every comparison: String.prototype.localeCompare builds locale data on each call, which costs tens of
// milliseconds per sort at a thousand rows. Fixed to "en" so the server's render and the browser's agree.
const compareText = new Intl.Collator("en").compare;

const byName = (a: FleetRow, b: FleetRow) => compareText(a.id, b.id) || compareText(a.account, b.account) || compareText(a.region, b.region);

// The fleet in name order, once per rows array (the browser keeps one array until a live change replaces it): the
// column sorts below start from it and are stable, so ties come out in name order without comparing names again, which
// a sort with many ties (health: four levels) spent most of its time doing.
const nameOrders = new WeakMap<readonly FleetRow[], FleetRow[]>();

function inNameOrder(clusters: readonly FleetRow[]): FleetRow[] {
  let ordered = nameOrders.get(clusters);
  if (!ordered) {
    ordered = [...clusters].sort(byName);
    nameOrders.set(clusters, ordered);
  }
  return ordered;
}

/**
 * Sorts by `sorts[query.sort]`, or `sorts.health` (worst first) when the query names none or one that does not exist;
 * clusters without a value sort last in either direction; ties break by name. Grouped by account, each account's rows
 * come together (accounts in name order), sorted within as asked.
 */
export function sortFleet(clusters: readonly FleetRow[], query: Pick<FleetQuery, "sort" | "dir" | "group">, sorts: Readonly<Record<string, SortSpec>>): FleetRow[] {
  const spec = (query.sort !== undefined && Object.hasOwn(sorts, query.sort) ? sorts[query.sort] : undefined) ?? sorts.health;
  const dir = query.dir ?? spec.firstDir;
  const get = spec.value;
  const grouped = query.group === "account";
  const decorated = inNameOrder(clusters).map((c) => ({ c, v: get(c) }));
  // Stable (as Array.prototype.sort is): equal values keep the name order.
  decorated.sort(({ c: a, v: va }, { c: b, v: vb }) => {
    const group = grouped ? compareText(a.account, b.account) : 0;
    if (group !== 0) return group;
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    const order = typeof va === "number" && typeof vb === "number" ? va - vb : compareText(String(va), String(vb));
    return dir === "asc" ? order : -order;
  });
  return decorated.map((d) => d.c);
}

export interface FleetCounts {
  total: number;
  healthy: number;
  warning: number;
  critical: number;
  unknown: number;
}

export function countHealth(clusters: readonly FleetRow[]): FleetCounts {
  const counts: FleetCounts = { total: clusters.length, healthy: 0, warning: 0, critical: 0, unknown: 0 };
  for (const c of clusters) counts[c.health.level] += 1;
  return counts;
}

export interface FleetFilterOptions {
  accounts: string[];
  statuses: string[];
  problems: ProblemCode[];
  tags: string[];
  /** Controls some cache fails. */
  controls: string[];
}

const sorted = (values: string[]) => [...new Set(values)].sort();

/** A column filter's choices: the values the fleet has. */
export function valuesOf(clusters: readonly FleetRow[], value: ColumnFilter["value"]): string[] {
  return sorted(clusters.map(value).filter((v): v is string => v !== null));
}

/** Choices for the filter menus, from what the fleet actually has. */
export function filterOptions(clusters: readonly FleetRow[]): FleetFilterOptions {
  return {
    accounts: sorted(clusters.map((c) => c.account)),
    statuses: sorted(clusters.map((c) => c.status)),
    problems: sorted(clusters.flatMap((c) => c.health.problems.map((p) => p.code))) as ProblemCode[],
    tags: sorted(clusters.flatMap((c) => Object.entries(c.tags).map(([k, v]) => `${k}=${v}`))),
    controls: controlIds.filter((id) => clusters.some((c) => c.posture.findings.some((f) => f.id === id))),
  };
}
