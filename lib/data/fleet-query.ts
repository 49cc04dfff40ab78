import { z } from "zod";
import type { HealthLevel, ProblemCode } from "./health";
import type { ClusterSummary } from "./model";

export const sortKeys = ["health", "name", "region", "engine", "status", "hitRate", "evictions", "lag", "cpu", "memory", "nodes"] as const;
export type SortKey = (typeof sortKeys)[number];

const optionalText = z.string().trim().max(200).optional().catch(undefined);

/** The fleet page's search params. Unknown values are dropped rather than failing the page. */
export const fleetQuerySchema = z.object({
  q: optionalText,
  region: optionalText,
  engine: optionalText,
  status: optionalText,
  health: z.enum(["healthy", "warning", "critical", "unknown"]).optional().catch(undefined),
  problem: optionalText,
  tag: optionalText,
  sort: z.enum(sortKeys).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
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
  const actual = tags[key.trim()];
  return actual !== undefined && (rest.length === 0 || actual === value.trim());
}

function searchText(c: ClusterSummary): string {
  return [c.id, c.region, c.engine, c.engineVersion, c.nodeType, c.status, ...c.activity, ...Object.entries(c.tags).map(([k, v]) => `${k}=${v}`)]
    .join(" ")
    .toLowerCase();
}

export function filterFleet(clusters: ClusterSummary[], query: FleetQuery): ClusterSummary[] {
  const words = (query.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return clusters.filter(
    (c) =>
      (!query.region || c.region === query.region) &&
      (!query.engine || c.engine === query.engine) &&
      (!query.status || (query.status === "not-available" ? c.status !== "available" : c.status === query.status)) &&
      (!query.health || c.health.level === query.health) &&
      (!query.problem || (query.problem === "any" ? c.health.problems.length > 0 : c.health.problems.some((p) => p.code === (query.problem as ProblemCode)))) &&
      (!query.tag || tagMatches(c.tags, query.tag)) &&
      words.every((w) => searchText(c).includes(w)),
  );
}

type Extract = (c: ClusterSummary) => number | string | null;
const extractors: Record<SortKey, Extract> = {
  health: (c) => severity[c.health.level] * 100 + c.health.problems.length,
  name: (c) => c.id,
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

/** Worst health first by default; clusters without a value sort last in either direction; ties break by name. */
export function sortFleet(clusters: ClusterSummary[], query: FleetQuery): ClusterSummary[] {
  const key = query.sort ?? "health";
  const dir = query.dir ?? (key === "health" ? "desc" : "asc");
  const get = extractors[key];
  return [...clusters].sort((a, b) => {
    const va = get(a);
    const vb = get(b);
    if (va === null || vb === null) return va === vb ? a.id.localeCompare(b.id) : va === null ? 1 : -1;
    const order = typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
    return (dir === "asc" ? order : -order) || a.id.localeCompare(b.id) || a.region.localeCompare(b.region);
  });
}

export interface FleetCounts {
  total: number;
  healthy: number;
  warning: number;
  critical: number;
  unknown: number;
}

export function countHealth(clusters: ClusterSummary[]): FleetCounts {
  const counts: FleetCounts = { total: clusters.length, healthy: 0, warning: 0, critical: 0, unknown: 0 };
  for (const c of clusters) counts[c.health.level] += 1;
  return counts;
}

/** Choices for the filter menus, from what the fleet actually has. */
export function filterOptions(clusters: ClusterSummary[]) {
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return {
    regions: sorted(clusters.map((c) => c.region)),
    engines: sorted(clusters.map((c) => c.engine)),
    statuses: sorted(clusters.map((c) => c.status)),
    problems: sorted(clusters.flatMap((c) => c.health.problems.map((p) => p.code))) as ProblemCode[],
    tags: sorted(clusters.flatMap((c) => Object.entries(c.tags).map(([k, v]) => `${k}=${v}`))),
  };
}
