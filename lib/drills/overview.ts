import "server-only";
import { describeEvents, type AwsProblem, type CacheEvent } from "@/lib/aws";
import { costTotal, type CostTotal } from "@/lib/cost/totals";
import { categorizeEvent } from "@/lib/data/events";
import { loadFleet } from "@/lib/data/fleet";
import { rowCost } from "@/lib/data/fleet-rows";
import { toProblem } from "@/lib/data/problems";
import { problemLabels, type HealthLevel } from "@/lib/data/health";
import type { ClusterSummary } from "@/lib/data/model";
import { resolveTimeWindow } from "@/lib/data/time-range";
import { fleetPlaces } from "@/lib/accounts";
import { placeKey } from "@/lib/place";
import { getDrillStore } from "@/lib/drills";
import type { Drill, DrillStatus, Verdict } from "@/lib/drills/model";

// The stakeholder overview: per group of clusters sharing a tag (service, team…), how each is doing now, its last
// drill and verdict, and the incidents ElastiCache reported lately. Deliberately without endpoints, node names or any
// control: what a stakeholder needs to trust the caches, nothing to act on.

export interface Incident {
  at: string;
  message: string;
}

export interface OverviewCluster {
  id: string;
  account: string;
  region: string;
  engine: string;
  health: HealthLevel;
  /** What is wrong, in a few words ("Replication lag"), without figures that need context. */
  concerns: string[];
  lastDrill: { id: number; at: string; status: DrillStatus; verdict: Verdict | null } | null;
  incidents: Incident[];
}

export interface OverviewSection {
  /** The tag value, or null for clusters without the tag. */
  value: string | null;
  clusters: OverviewCluster[];
  health: HealthLevel;
}

export interface Overview {
  by: string;
  tagKeys: string[];
  sections: OverviewSection[];
  /** What could not be read, per region, for the reader to pass on (render through ProblemPanel for the role). */
  problems: AwsProblem[];
  incidentDays: number;
  /** The caches whose memory or connections reach their limit soonest at their 14-day trend (at most 5). */
  fillsUpFirst: FillsUpEntry[];
  /** What the caches shown cost a month (lib/cost), with the price dates. */
  cost: CostTotal;
}

export interface FillsUpEntry {
  id: string;
  account: string;
  region: string;
  href: string;
  at: number;
  /** Whole days from the overview's time (0: there now). */
  inDays: number;
  figure: "memory" | "connections";
}

const FILLS_UP_LISTED = 5;

const INCIDENT_DAYS = 7;
const MAX_INCIDENTS = 5;
const severity: HealthLevel[] = ["unknown", "healthy", "warning", "critical"];

function worst(levels: HealthLevel[]): HealthLevel {
  return levels.reduce<HealthLevel>((a, b) => (severity.indexOf(b) > severity.indexOf(a) ? b : a), levels.length ? "healthy" : "unknown");
}

/** Events of a cluster: its own id, or (replication groups) a member named `<group>-…`. */
function belongsTo(event: CacheEvent, cluster: ClusterSummary): boolean {
  const source = event.sourceId;
  return source === cluster.id || (cluster.kind === "replication-group" && source.startsWith(`${cluster.id}-`));
}

/** An event's message without node and node-group ids, which mean nothing to a stakeholder; the sentence stays whole. */
export function incidentMessage(message: string): string {
  return message.replace(/ for node group \S+|(?<=cache nodes) [\d,]+/g, "");
}

/** Failovers and node recoveries, minus those a drill of the cluster caused (they were rehearsals, not incidents). */
function incidentsOf(events: CacheEvent[], cluster: ClusterSummary, drills: Drill[]): Incident[] {
  const rehearsals = drills
    .filter((d) => d.account === cluster.account && d.region === cluster.region && d.replicationGroupId === cluster.id)
    .map((d) => [Date.parse(d.requestedAt) - 5_000, d.finishedAt ? Date.parse(d.finishedAt) + 60_000 : Number.POSITIVE_INFINITY]);
  const seen = new Set<string>();
  return events
    .filter((e) => belongsTo(e, cluster) && ["failover", "node"].includes(categorizeEvent(e.message)))
    .map((e) => ({ at: new Date(e.at).toISOString(), message: incidentMessage(e.message) }))
    .filter((i) => !rehearsals.some(([from, to]) => Date.parse(i.at) >= from && Date.parse(i.at) <= to))
    .filter((i) => !seen.has(`${i.at}|${i.message}`) && seen.add(`${i.at}|${i.message}`))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, MAX_INCIDENTS);
}

/** The overview of `accounts` (those the reader may read, or the one the URL names; a name not configured shows nothing). */
export async function loadOverview(by: string, accounts: readonly string[], now = Date.now()): Promise<Overview> {
  const { window } = resolveTimeWindow({ range: "1h" }, now);
  const places = fleetPlaces().filter((p) => accounts.includes(p.account));
  const since = new Date(now - INCIDENT_DAYS * 24 * 3600 * 1000);
  const eventProblems: AwsProblem[] = [];
  const [fleet, events, drills] = await Promise.all([
    loadFleet(window, now, places),
    Promise.all(
      places.map((place) =>
        describeEvents(place, { start: since, end: new Date(now) }).catch((error: unknown) => {
          eventProblems.push(toProblem(error, place, "events"));
          return [] as CacheEvent[];
        }),
      ),
    ),
    getDrillStore().then((store) => store.list({ limit: 1_000, accounts })),
  ]);
  const eventsByPlace = new Map(places.map((place, i) => [placeKey(place), events[i]]));
  const latest = new Map<string, Drill>();
  for (const drill of drills) if (!latest.has(`${placeKey(drill)}/${drill.replicationGroupId}`)) latest.set(`${placeKey(drill)}/${drill.replicationGroupId}`, drill);

  const clusters = fleet.clusters.map((c) => {
    const drill = latest.get(`${placeKey(c)}/${c.id}`);
    return {
      tags: c.tags,
      view: {
        id: c.id,
        account: c.account,
        region: c.region,
        engine: c.engine,
        health: c.health.level,
        concerns: [...new Set(c.health.problems.map((p) => problemLabels[p.code]))],
        lastDrill: drill ? { id: drill.id, at: drill.requestedAt, status: drill.status, verdict: drill.verdict } : null,
        incidents: incidentsOf(eventsByPlace.get(placeKey(c)) ?? [], c, drills),
      } satisfies OverviewCluster,
    };
  });
  const sections = new Map<string | null, OverviewCluster[]>();
  for (const { tags, view } of clusters) {
    // `by` comes from the URL: an own-property check, so `?by=__proto__` finds no tag rather than Object.prototype.
    const value = Object.hasOwn(tags, by) ? tags[by] : null;
    sections.set(value, [...(sections.get(value) ?? []), view]);
  }
  return {
    by,
    tagKeys: [...new Set(fleet.clusters.flatMap((c) => Object.keys(c.tags)))].sort(),
    sections: [...sections]
      .map(([value, list]) => ({ value, clusters: list, health: worst(list.map((c) => c.health)) }))
      .sort((a, b) => (a.value === null ? 1 : b.value === null ? -1 : a.value.localeCompare(b.value))),
    problems: [...fleet.regions.flatMap((r) => r.problems), ...eventProblems],
    incidentDays: INCIDENT_DAYS,
    fillsUpFirst: fleet.clusters
      .flatMap((c) => (c.fillsUp ? [{ id: c.id, account: c.account, region: c.region, href: c.href, ...c.fillsUp, inDays: Math.max(0, Math.ceil((c.fillsUp.at - now) / 86_400_000)) }] : []))
      .sort((a, b) => a.at - b.at)
      .slice(0, FILLS_UP_LISTED),
    cost: costTotal(fleet.clusters.map((c) => ({ cost: rowCost(c.cost) }))),
  };
}
