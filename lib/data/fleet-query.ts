import { z } from "@/lib/zod";
import type { HealthLevel, ProblemCode } from "./health";
import type { FleetRow } from "./fleet-rows";

export const sortKeys = ["health", "name", "account", "region", "engine", "status", "hitRate", "evictions", "lag", "cpu", "memory", "nodes"] as const;
export type SortKey = (typeof sortKeys)[number];

const optionalText = z.string().trim().max(200).optional().catch(undefined);

/** The fleet page's search params. Unknown values are dropped rather than failing the page. */
export const fleetQuerySchema = z.object({
  q: optionalText,
  account: optionalText,
  region: optionalText,
  engine: optionalText,
  status: optionalText,
  health: z.enum(["healthy", "warning", "critical", "unknown"]).optional().catch(undefined),
  problem: optionalText,
  tag: optionalText,
  sort: z.enum(sortKeys).optional().catch(undefined),
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

const severity: Record<HealthLevel, number> = { critical: 3, warning: 2, unknown: 1, healthy: 0 };

function tagMatches(tags: Record<string, string>, filter: string): boolean {
  const [key, ...rest] = filter.split("=");
  const value = rest.join("=");
  // The key comes from the URL: `?tag=constructor` must not match Object's own properties.
  if (!Object.hasOwn(tags, key.trim())) return false;
  return rest.length === 0 || tags[key.trim()] === value.trim();
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

/** Runs in the browser on every keystroke of the search box and every filter choice, over the whole fleet. */
export function filterFleet(clusters: readonly FleetRow[], query: FleetQuery): FleetRow[] {
  const words = (query.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return clusters.filter(
    (c) =>
      (!query.account || c.account === query.account) &&
      (!query.region || c.region === query.region) &&
      (!query.engine || c.engine === query.engine) &&
      (!query.status || (query.status === "not-available" ? c.status !== "available" : c.status === query.status)) &&
      (!query.health || c.health.level === query.health) &&
      (!query.problem || (query.problem === "any" ? c.health.problems.length > 0 : c.health.problems.some((p) => p.code === (query.problem as ProblemCode)))) &&
      (!query.tag || tagMatches(c.tags, query.tag)) &&
      words.every((w) => searchText(c).includes(w)),
  );
}

type Extract = (c: FleetRow) => number | string | null;
const extractors: Record<SortKey, Extract> = {
  health: (c) => severity[c.health.level] * 100 + c.health.problems.length,
  name: (c) => c.id,
  account: (c) => c.account,
  region: (c) => c.region,
  engine: (c) => `${c.engine} ${c.engineVersion ?? ""}`,
  status: (c) => c.status,
  hitRate: (c) => c.health.figures?.hitRate ?? null,
  evictions: (c) => c.health.figures?.evictions ?? null,
  lag: (c) => c.health.figures?.replicationLag ?? null,
  cpu: (c) => c.health.figures?.engineCpu ?? null,
  memory: (c) => c.health.figures?.memory ?? null,
  nodes: (c) => c.nodes,
};

// One collator for every comparison: String.prototype.localeCompare builds locale data on each call, which costs tens of
// milliseconds per sort at a thousand rows. Fixed to "en" so the server's render and the browser's agree.
const compareText = new Intl.Collator("en").compare;

/**
 * Worst health first by default; clusters without a value sort last in either direction; ties break by name. Grouped
 * by account, each account's rows come together (accounts in name order), sorted within as asked.
 */
export function sortFleet(clusters: readonly FleetRow[], query: FleetQuery): FleetRow[] {
  const key = query.sort ?? "health";
  const dir = query.dir ?? (key === "health" ? "desc" : "asc");
  const get = extractors[key];
  const grouped = query.group === "account";
  const decorated = clusters.map((c) => ({ c, v: get(c) }));
  decorated.sort(({ c: a, v: va }, { c: b, v: vb }) => {
    const group = grouped ? compareText(a.account, b.account) : 0;
    if (group !== 0) return group;
    if (va === null || vb === null) return va === vb ? compareText(a.id, b.id) : va === null ? 1 : -1;
    const order = typeof va === "number" && typeof vb === "number" ? va - vb : compareText(String(va), String(vb));
    return (dir === "asc" ? order : -order) || compareText(a.id, b.id) || compareText(a.account, b.account) || compareText(a.region, b.region);
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
  regions: string[];
  engines: string[];
  statuses: string[];
  problems: ProblemCode[];
  tags: string[];
}

/** Choices for the filter menus, from what the fleet actually has. */
export function filterOptions(clusters: readonly FleetRow[]): FleetFilterOptions {
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return {
    accounts: sorted(clusters.map((c) => c.account)),
    regions: sorted(clusters.map((c) => c.region)),
    engines: sorted(clusters.map((c) => c.engine)),
    statuses: sorted(clusters.map((c) => c.status)),
    problems: sorted(clusters.flatMap((c) => c.health.problems.map((p) => p.code))) as ProblemCode[],
    tags: sorted(clusters.flatMap((c) => Object.entries(c.tags).map(([k, v]) => `${k}=${v}`))),
  };
}
