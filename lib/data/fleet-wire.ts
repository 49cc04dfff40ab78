import type { PostureBrief } from "@/lib/posture/posture";
import type { HealthFigures, HealthLevel, Problem } from "./health";
import type { ClusterKind, FillsUp } from "./model";
import { fleetRowKey, trendKeys, type FleetRow, type FleetTrends, type RowCost } from "./fleet-rows";
import type { Values } from "./series";

// The fleet page's first load carries every row (1,100 at issue 12's scale) inside the HTML, as React's payload for
// the fleet store. Sent as FleetRow objects that was 2.1 MB, most of it the trend lines (5 × 40 numbers a row) and
// the same keys repeated on every row, and the browser revived every value one by one while starting the page. Here
// the rows travel as one JSON string (the browser parses it natively, in one go) of positional tuples, with each trend
// line quantised to 64 levels between its own lowest and highest value, one character a point: a sparkline is 18 px
// high, so 64 levels are four per pixel. Trend values pushed later (lib/data/fleet-changes.ts) keep full precision.

/** One character per level, none of which JSON or HTML needs to escape; `.` is a missing point. */
const levels = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
const top = levels.length - 1;
const missing = ".";

/** [lowest, highest, one character a point]; null when the line has no point at all. */
type PackedLine = [number, number, string] | null;

type PackedRow = [
  kind: ClusterKind,
  id: string,
  account: string,
  region: string,
  engine: string,
  engineVersion: string | null,
  clusterMode: FleetRow["clusterMode"],
  nodeType: string | null,
  shards: number | null,
  nodes: number,
  /** zone, nodes, zone, nodes… */
  zones: (string | number)[],
  status: string,
  activity: string[],
  /** key, value, key, value… */
  tags: string[],
  href: string,
  cost: [number | null, string | null, RowCost["origin"], string | null] | null,
  level: HealthLevel,
  /** code, level, summary, code, level, summary… */
  problems: string[],
  figures: [number | null, number | null, number | null, number, number | null, number | null, number | null] | null,
  /** 0: no forecast (the row has no `fillsUp`); null: not within 90 days. */
  fillsUp: [number, FillsUp["figure"]] | null | 0,
  /** Epoch ms of the first slot, ms between slots, slots, then the lines in `trendKeys` order; null: no trends. */
  trends: [number, number, number, ...PackedLine[]] | null,
  /** Lifecycle state, summary and days left, then control id, severity, control id, severity… of the findings. */
  posture: [PostureBrief["lifecycle"]["state"], string, number | null, ...string[]],
  /** Present, recommended; null before the region's alarms were read. */
  alarms: [number, number] | null,
];

export function packLine(values: Values): PackedLine {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return null;
  const low = Math.min(...present);
  const high = Math.max(...present);
  const span = high - low;
  const text = values.map((v) => (v === null ? missing : levels[span > 0 ? Math.round(((v - low) / span) * top) : 0])).join("");
  return [low, high, text];
}

/** Each level character's level, by character code (-1: not a level). */
const levelOfCode = new Int8Array(128).fill(-1);
for (let i = 0; i < levels.length; i += 1) levelOfCode[levels.charCodeAt(i)] = i;

export function unpackLine(line: PackedLine, length: number): Values {
  if (!line) return new Array<null>(length).fill(null);
  const [low, high, text] = line;
  const values: Values = new Array<number | null>(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const level = levelOfCode[text.charCodeAt(i)];
    values[i] = level < 0 ? null : low + (level / top) * (high - low);
  }
  return values;
}

function packFigures(f: HealthFigures | null): PackedRow[18] {
  return f && [f.hitRate, f.lookups, f.evictions, f.evictionRun, f.replicationLag, f.engineCpu, f.memory];
}

function unpackFigures(f: PackedRow[18]): HealthFigures | null {
  return f && { hitRate: f[0], lookups: f[1], evictions: f[2], evictionRun: f[3], replicationLag: f[4], engineCpu: f[5], memory: f[6] };
}

function packRow(r: FleetRow): PackedRow {
  return [
    r.kind,
    r.id,
    r.account,
    r.region,
    r.engine,
    r.engineVersion,
    r.clusterMode,
    r.nodeType,
    r.shards,
    r.nodes,
    r.zones.flatMap((z) => [z.zone, z.nodes]),
    r.status,
    r.activity,
    Object.entries(r.tags).flat(),
    r.href,
    r.cost && [r.cost.monthlyUsd, r.cost.priceDate, r.cost.origin, r.cost.missing],
    r.health.level,
    r.health.problems.flatMap((p) => [p.code, p.level, p.summary]),
    packFigures(r.health.figures),
    r.fillsUp === undefined ? 0 : r.fillsUp && [r.fillsUp.at, r.fillsUp.figure],
    r.trends && [r.trends.start, r.trends.step, r.trends[trendKeys[0]].length, ...trendKeys.map((k) => packLine(r.trends![k]))],
    [r.posture.lifecycle.state, r.posture.lifecycle.summary, r.posture.lifecycle.daysLeft, ...r.posture.findings.flatMap((f) => [f.id, f.severity])],
    r.alarms && [r.alarms.present, r.alarms.recommended],
  ];
}

/** Pairs (or triples) of a flat list. */
function chunks<T>(flat: T[], size: number): T[][] {
  return Array.from({ length: flat.length / size }, (_, i) => flat.slice(i * size, i * size + size));
}

/**
 * Each trend line is decoded when first read, then kept: only the rows on screen draw theirs, so starting the page
 * decodes a screenful of lines instead of all 5,500 (that, and the garbage it left, was most of the page's longest task).
 */
function unpackTrends([start, step, length, ...lines]: NonNullable<PackedRow[20]>): FleetTrends {
  const trends = { start, step } as FleetTrends;
  trendKeys.forEach((k, i) =>
    Object.defineProperty(trends, k, {
      enumerable: true,
      configurable: true,
      get() {
        const values = unpackLine(lines[i] as PackedLine, length);
        Object.defineProperty(trends, k, { value: values, enumerable: true, writable: true, configurable: true });
        return values;
      },
    }),
  );
  return trends;
}

function unpackRow(p: PackedRow): FleetRow {
  const [kind, id, account, region, engine, engineVersion, clusterMode, nodeType, shards, nodes, zones, status, activity, tags, href, cost, level, problems, figures, fillsUp, trends, [state, summary, daysLeft, ...findings], alarms] = p;
  const row: FleetRow = {
    key: fleetRowKey({ account, region }, kind, id),
    kind,
    id,
    account,
    region,
    engine,
    engineVersion,
    clusterMode,
    nodeType,
    shards,
    nodes,
    zones: chunks(zones, 2).map(([zone, n]) => ({ zone: zone as string, nodes: n as number })),
    status,
    activity,
    tags: Object.fromEntries(chunks(tags, 2)),
    href,
    cost: cost && { monthlyUsd: cost[0], priceDate: cost[1], origin: cost[2], missing: cost[3] },
    health: { level, problems: chunks(problems, 3).map(([code, lvl, summary]) => ({ code, level: lvl, summary }) as Problem), figures: unpackFigures(figures) },
    trends: trends && unpackTrends(trends),
    posture: { lifecycle: { state, summary, daysLeft }, findings: chunks(findings, 2).map(([id, severity]) => ({ id, severity }) as PostureBrief["findings"][number]) },
    alarms: alarms && { present: alarms[0], recommended: alarms[1] },
  };
  if (fillsUp !== 0) row.fillsUp = fillsUp && { at: fillsUp[0], figure: fillsUp[1] };
  return row;
}

/** The rows as the page ships them. */
export function packFleetRows(rows: readonly FleetRow[]): string {
  return JSON.stringify(rows.map(packRow));
}

export function unpackFleetRows(text: string): FleetRow[] {
  return (JSON.parse(text) as PackedRow[]).map(unpackRow);
}
