import { engineCalendar } from "@/lib/posture/engine-calendar";
import { majorOf } from "@/lib/posture/engine-lifecycle";
import snapshot from "@/prices/elasticache-prices.json";

// ElastiCache prices as CacheDeck uses them: one price book, built from the bundled snapshot
// (prices/elasticache-prices.json, which the emulator's Price List subset serves too) and overlaid with what the AWS
// Price List API answered (lib/aws/pricing.ts, read once a day per region by lib/watcher/cost-read.ts). Every price says
// where it came from and of what date, so a page can show it next to the figure. Pure data and arithmetic: callable
// from any server module, test or script.

/** AWS bills node-hours; a month is 730 hours in AWS's own calculators. */
export const HOURS_PER_MONTH: number = snapshot.hoursPerMonth;

/** Redis OSS, Valkey and Memcached are priced apart; CacheDeck's engine names are ElastiCache's lower-case ones. */
export type EngineFamily = "redis" | "valkey" | "memcached";

export type PriceOrigin = "price-list-api" | "snapshot";

/** Where a price comes from: the Price List API (read at `date`) or the snapshot (its source's date). */
export interface PriceStamp {
  origin: PriceOrigin;
  /** ISO date (YYYY-MM-DD) of the figure. */
  date: string;
  /** The snapshot's source id, or "price-list-api". */
  source: string;
}

export interface NodePrice extends PriceStamp {
  /** On-demand USD per node-hour. */
  hourlyUsd: number;
}

export interface ServerlessPrice extends PriceStamp {
  dataStoredPerGbHour: number;
  ecpuPerMillion: number;
  /** Storage AWS meters at least, per cache. */
  minimumGb: number;
}

export interface ExtendedSupportCharge extends PriceStamp {
  /** USD per node-hour on top of the on-demand price. */
  hourlyUsd: number;
  /** 1, 2 or 3: the year of enrolment `at` falls in. */
  year: number;
  /** The surcharge as a share of the on-demand price in that year. */
  share: number;
  startsOn: string;
  /** True when the rate comes from a third-party source rather than AWS (the snapshot's notes say which). */
  thirdParty: boolean;
}

export interface PriceBook {
  /** By priceKey(region, engine, nodeType). */
  nodes: ReadonlyMap<string, NodePrice>;
  /** By `${region}|${engine}`. */
  serverless: ReadonlyMap<string, ServerlessPrice>;
  /** The surcharge rates only: when it applies is the posture calendar's (extendedSupportWindow). */
  extendedSupport: { source: string; date: string; thirdParty: boolean; shareByYear: number[] };
  /** The snapshot's own date (what "prices as of" says when nothing came from the API). */
  snapshotDate: string;
}

/** Valkey and Memcached by name; every Redis spelling (redis, "Redis OSS") is Redis OSS. */
export function engineFamily(engine: string): EngineFamily {
  const e = engine.toLowerCase();
  if (e.startsWith("valkey")) return "valkey";
  if (e.startsWith("memcached")) return "memcached";
  return "redis";
}

export function priceKey(region: string, engine: string, nodeType: string): string {
  return `${region}|${engineFamily(engine)}|${nodeType}`;
}

const sources = snapshot.sources as Record<string, { date: string }>;
const sourceDate = (id: string) => sources[id]?.date ?? snapshot.snapshotDate;

function buildSnapshotBook(): PriceBook {
  const nodes = new Map<string, NodePrice>();
  for (const row of snapshot.nodeHours) {
    for (const [nodeType, hourlyUsd] of Object.entries(row.prices)) {
      nodes.set(priceKey(row.region, row.engine, nodeType), { hourlyUsd, origin: "snapshot", source: row.source, date: sourceDate(row.source) });
    }
  }
  const serverless = new Map<string, ServerlessPrice>();
  for (const row of snapshot.serverless) {
    const { region, engine, source, dataStoredPerGbHour, ecpuPerMillion, minimumGb } = row;
    serverless.set(`${region}|${engineFamily(engine)}`, { dataStoredPerGbHour, ecpuPerMillion, minimumGb, origin: "snapshot", source, date: sourceDate(source) });
  }
  const es = snapshot.extendedSupport;
  return {
    nodes,
    serverless,
    extendedSupport: { source: es.source, date: sourceDate(es.source), thirdParty: es.thirdParty, shareByYear: es.shareOfOnDemandByYear },
    snapshotDate: snapshot.snapshotDate,
  };
}

const snapshotBook = buildSnapshotBook();
let current: PriceBook = snapshotBook;

/** The bundled snapshot alone. */
export function snapshotPriceBook(): PriceBook {
  return snapshotBook;
}

/** The snapshot overlaid with the Price List API's latest answers (the snapshot alone until one arrived). */
export function currentPriceBook(): PriceBook {
  return current;
}

/** Overlays node prices read from the Price List API on the snapshot; a type the API did not answer keeps its snapshot price. */
export function withApiNodePrices(prices: Iterable<{ region: string; engine: string; nodeType: string; hourlyUsd: number; date: string }>, base = snapshotBook): PriceBook {
  const nodes = new Map(base.nodes);
  for (const p of prices) nodes.set(priceKey(p.region, p.engine, p.nodeType), { hourlyUsd: p.hourlyUsd, origin: "price-list-api", source: "price-list-api", date: p.date });
  return { ...base, nodes };
}

/** Makes `book` the one every later priceOf uses (lib/cost/cost-inputs.ts, as each region's prices are read). */
export function setCurrentPriceBook(book: PriceBook): void {
  current = book;
}

/** On-demand price of one node of `nodeType` running `engine` in `region`, or undefined when neither source has it. */
export function priceOf(q: { engine: string; nodeType: string; region: string }, book: PriceBook = current): NodePrice | undefined {
  return book.nodes.get(priceKey(q.region, q.engine, q.nodeType));
}

export function serverlessPriceOf(q: { engine: string; region: string }, book: PriceBook = current): ServerlessPrice | undefined {
  return book.serverless.get(`${q.region}|${engineFamily(q.engine)}`);
}

const dayMs = 86_400_000;
const yearMs = 365 * dayMs;

/** When Extended Support applies to an engine version: enrolment starts the day after standard support ends. */
export interface ExtendedSupportWindow {
  startsOn: string;
  /** Its last day, inclusive. */
  endsOn: string;
}

/**
 * The Extended Support window of this engine version, whether or not it has started yet, from ElastiCache's support
 * calendar as the posture pages hold it (lib/posture/engine-calendar.ts): one source of truth for the dates, so a
 * date AWS moves is changed once. The snapshot holds only the surcharge rates.
 */
export function extendedSupportWindow(engine: string, engineVersion: string | null): ExtendedSupportWindow | undefined {
  const major = majorOf(engineVersion);
  const entry = major === null ? undefined : engineCalendar.entries.find((e) => e.engine === engineFamily(engine) && e.major === major);
  if (!entry) return undefined;
  const startsOn = new Date(Date.parse(`${entry.standardSupportEnds}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
  return { startsOn, endsOn: entry.extendedSupportEnds };
}

/**
 * The Extended Support surcharge per node-hour for a node of this engine version at `at`, or null when none applies
 * (an engine in standard support, a Valkey or Memcached node, a type without an on-demand price).
 */
export function extendedSupportOf(
  q: { engine: string; engineVersion: string | null; nodeType: string; region: string },
  at: number,
  book: PriceBook = current,
): ExtendedSupportCharge | null {
  const window = extendedSupportWindow(q.engine, q.engineVersion);
  if (!window) return null;
  const start = Date.parse(`${window.startsOn}T00:00:00Z`);
  const end = Date.parse(`${window.endsOn}T23:59:59Z`);
  if (at < start || at > end) return null;
  const onDemand = priceOf(q, book);
  if (!onDemand) return null;
  const es = book.extendedSupport;
  const year = Math.min(es.shareByYear.length, Math.floor((at - start) / yearMs) + 1);
  const share = es.shareByYear[year - 1];
  return { hourlyUsd: onDemand.hourlyUsd * share, year, share, startsOn: window.startsOn, origin: "snapshot", source: es.source, date: es.date, thirdParty: es.thirdParty };
}
