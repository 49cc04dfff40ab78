import type { ReservedNodes } from "@/lib/aws/reserved-nodes";
import {
  engineFamily,
  extendedSupportOf,
  extendedSupportWindow,
  HOURS_PER_MONTH,
  priceOf,
  serverlessPriceOf,
  type PriceBook,
  type PriceStamp,
} from "./prices";

// What each cache of one account × region costs a month, from the price book, the account's reserved nodes there
// and serverless usage. Pure arithmetic over plain data, so a watcher can run it once per state change and tests can
// check it against figures worked out by hand from the snapshot (docs/cost.md says where each figure comes from).

/** What the costing needs of a cache: a ClusterSummary has all of it. */
export interface CostedCache {
  kind: "replication-group" | "cache-cluster" | "serverless";
  id: string;
  engine: string;
  engineVersion: string | null;
  nodeType: string | null;
  nodes: number;
  /** The cache's page (/clusters/<account>~<region>/<id>), for the upgrade link. */
  href: string;
}

/** A serverless cache's metered usage over the last hour read. */
export interface ServerlessUsage {
  /** Average data stored, GB. */
  gb: number;
  /** ECPUs consumed in the hour. */
  ecpuPerHour: number;
}

export interface CostInputs {
  book: PriceBook;
  region: string;
  /** The account's reservations in this region (any state: expired ones are skipped here). */
  reserved: readonly ReservedNodes[];
  serverlessUsage: ReadonlyMap<string, ServerlessUsage>;
  now: number;
}

export interface ReservationShare {
  id: string;
  nodes: number;
  /** Epoch ms. */
  end: number;
}

export interface ValkeyMove {
  /** What the cache would cost less a month on Valkey (node prices and any Extended Support it pays now); null when
   * Valkey has no price for its node type and region (then `savingUnknown` says so): what staying costs is still worth
   * showing, most of all for a version about to enter Extended Support. */
  savingMonthlyUsd: number | null;
  savingUnknown: string | null;
  /** The Extended Support surcharge a month if it stays on this Redis OSS version, and from when (null: none known). */
  extendedSupportIfStaysMonthlyUsd: number | null;
  extendedSupportFrom: string | null;
  upgradeHref: string;
}

export interface CacheCost {
  /** Per month; null when no price is known for it (then `missing` says why). */
  monthlyUsd: number | null;
  /** What the same nodes would cost on demand, without reservations or surcharges. */
  onDemandMonthlyUsd: number | null;
  /** Of it, the Extended Support surcharge (0 when none applies now). */
  extendedSupportMonthlyUsd: number;
  extendedSupportYear: number | null;
  /** Nodes billed at a reserved rate, and the reservations that cover them. */
  reservedNodes: number;
  reservations: ReservationShare[];
  /** The price used and its stamp (origin, date, source). */
  price: PriceStamp | null;
  missing: string | null;
  valkey: ValkeyMove | null;
  serverless: ServerlessUsage | null;
}

const round = (usd: number) => Math.round(usd * 100) / 100;
const hourMs = 3600_000;

/** Redis OSS reservations cover Valkey nodes of the same type and the reverse (AWS applies them across both). */
const reservationFamily = (engine: string) => (engineFamily(engine) === "memcached" ? "memcached" : "redis-compatible");

/** A reserved node-hour: the hourly charge plus the upfront payment spread over the term. */
function reservedHourly(r: ReservedNodes): number {
  const termHours = Math.max(1, (r.end - r.start) / hourMs);
  return r.hourlyUsd + r.fixedUsd / termHours;
}

interface Pool {
  reservation: ReservedNodes;
  left: number;
}

/**
 * Active reservations by node type and engine family, soonest ending first, so the reservation that runs out first
 * is the one a cache shows as expiring. Caches draw from them in id order (AWS applies them to any matching node).
 */
function reservationPools(reserved: readonly ReservedNodes[], now: number): Map<string, Pool[]> {
  const pools = new Map<string, Pool[]>();
  for (const r of [...reserved].sort((a, b) => a.end - b.end)) {
    if (r.state !== "active" || r.end <= now || r.start > now) continue;
    const key = `${r.nodeType}|${reservationFamily(r.engine)}`;
    pools.set(key, [...(pools.get(key) ?? []), { reservation: r, left: r.count }]);
  }
  return pools;
}

interface Drawn {
  shares: ReservationShare[];
  hourly: number;
}

function draw(pools: Map<string, Pool[]>, nodeType: string, engine: string, nodes: number): Drawn {
  const shares: ReservationShare[] = [];
  let hourly = 0;
  let wanted = nodes;
  for (const pool of pools.get(`${nodeType}|${reservationFamily(engine)}`) ?? []) {
    if (wanted === 0) break;
    const taken = Math.min(wanted, pool.left);
    if (taken === 0) continue;
    pool.left -= taken;
    wanted -= taken;
    hourly += taken * reservedHourly(pool.reservation);
    shares.push({ id: pool.reservation.id, nodes: taken, end: pool.reservation.end });
  }
  return { shares, hourly };
}

/**
 * The reserved nodes each node-based cache draws, by id: caches draw in id order (AWS applies a reservation to any
 * matching node), so only caches of a node type and family with an active reservation are sorted and drawn.
 */
function drawAll(caches: readonly CostedCache[], pools: Map<string, Pool[]>): Map<string, Drawn> {
  const drawing = caches.filter((c) => c.kind !== "serverless" && c.nodeType && pools.has(`${c.nodeType}|${reservationFamily(c.engine)}`));
  const drawn = new Map<string, Drawn>();
  for (const c of drawing.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) drawn.set(c.id, draw(pools, c.nodeType!, c.engine, c.nodes));
  return drawn;
}

const upgradeHref = (cache: CostedCache) => `${cache.href}/operations?op=upgrade-engine&engine=valkey`;

/** What moving a node-based Redis OSS cache to Valkey saves, and what staying on its version would add. */
function valkeyMove(cache: CostedCache & { nodeType: string }, inputs: CostInputs, extendedNow: number): ValkeyMove | null {
  if (engineFamily(cache.engine) !== "redis") return null;
  const q = { nodeType: cache.nodeType, region: inputs.region };
  const redis = priceOf({ ...q, engine: "redis" }, inputs.book);
  const valkey = priceOf({ ...q, engine: "valkey" }, inputs.book);
  if (!redis) return null;
  const window = extendedSupportWindow(cache.engine, cache.engineVersion);
  const from = window ? Math.max(inputs.now, Date.parse(`${window.startsOn}T00:00:00Z`)) : null;
  const ifStays = from === null ? null : extendedSupportOf({ ...q, engine: "redis", engineVersion: cache.engineVersion }, from, inputs.book);
  return {
    savingMonthlyUsd: valkey ? round(cache.nodes * (redis.hourlyUsd - valkey.hourlyUsd) * HOURS_PER_MONTH + extendedNow) : null,
    savingUnknown: valkey ? null : `no Valkey ${cache.nodeType} price for ${inputs.region} (snapshot or Price List API)`,
    extendedSupportIfStaysMonthlyUsd: ifStays ? round(cache.nodes * ifStays.hourlyUsd * HOURS_PER_MONTH) : null,
    extendedSupportFrom: ifStays && from !== null ? new Date(from).toISOString().slice(0, 10) : null,
    upgradeHref: upgradeHref(cache),
  };
}

const empty = { extendedSupportMonthlyUsd: 0, extendedSupportYear: null, reservedNodes: 0, reservations: [], valkey: null, serverless: null };

function nodeCacheCost(cache: CostedCache, inputs: CostInputs, drawn: Drawn | undefined): CacheCost {
  if (!cache.nodeType) return { ...empty, monthlyUsd: null, onDemandMonthlyUsd: null, price: null, missing: "its node type is not known yet" };
  const q = { engine: cache.engine, nodeType: cache.nodeType, region: inputs.region };
  const price = priceOf(q, inputs.book);
  if (!price) {
    return { ...empty, monthlyUsd: null, onDemandMonthlyUsd: null, price: null, missing: `no ${engineFamily(cache.engine)} ${cache.nodeType} price for ${inputs.region} (snapshot or Price List API)` };
  }
  const { shares, hourly: reservedHourlyUsd } = drawn ?? { shares: [], hourly: 0 };
  const reservedNodes = shares.reduce((n, s) => n + s.nodes, 0);
  const surcharge = extendedSupportOf({ ...q, engineVersion: cache.engineVersion }, inputs.now, inputs.book);
  const extendedMonthly = surcharge ? cache.nodes * surcharge.hourlyUsd * HOURS_PER_MONTH : 0;
  const hourly = reservedHourlyUsd + (cache.nodes - reservedNodes) * price.hourlyUsd;
  return {
    monthlyUsd: round(hourly * HOURS_PER_MONTH + extendedMonthly),
    onDemandMonthlyUsd: round(cache.nodes * price.hourlyUsd * HOURS_PER_MONTH),
    extendedSupportMonthlyUsd: round(extendedMonthly),
    extendedSupportYear: surcharge?.year ?? null,
    reservedNodes,
    reservations: shares,
    price: { origin: price.origin, date: price.date, source: price.source },
    missing: null,
    valkey: valkeyMove({ ...cache, nodeType: cache.nodeType }, inputs, extendedMonthly),
    serverless: null,
  };
}

/** A month of serverless use at the last hour's rate, with AWS's minimum metered storage. */
function serverlessMonthly(engine: string, usage: ServerlessUsage, region: string, book: PriceBook): number | null {
  const p = serverlessPriceOf({ engine, region }, book);
  if (!p) return null;
  return (Math.max(usage.gb, p.minimumGb) * p.dataStoredPerGbHour + (usage.ecpuPerHour / 1e6) * p.ecpuPerMillion) * HOURS_PER_MONTH;
}

function serverlessCost(cache: CostedCache, inputs: CostInputs): CacheCost {
  const usage = inputs.serverlessUsage.get(cache.id);
  const p = serverlessPriceOf({ engine: cache.engine, region: inputs.region }, inputs.book);
  const base = { ...empty, onDemandMonthlyUsd: null, serverless: usage ?? null };
  if (!p) return { ...base, monthlyUsd: null, price: null, missing: `no serverless ${engineFamily(cache.engine)} price for ${inputs.region} in the snapshot` };
  if (!usage) return { ...base, monthlyUsd: null, price: null, missing: "its usage (BytesUsedForCache, ElastiCacheProcessingUnits) has not been read yet" };
  const monthly = serverlessMonthly(cache.engine, usage, inputs.region, inputs.book)!;
  const onValkey = engineFamily(cache.engine) === "redis" ? serverlessMonthly("valkey", usage, inputs.region, inputs.book) : null;
  return {
    ...base,
    monthlyUsd: round(monthly),
    onDemandMonthlyUsd: round(monthly),
    price: { origin: p.origin, date: p.date, source: p.source },
    missing: null,
    valkey: onValkey === null ? null : { savingMonthlyUsd: round(monthly - onValkey), savingUnknown: null, extendedSupportIfStaysMonthlyUsd: null, extendedSupportFrom: null, upgradeHref: upgradeHref(cache) },
  };
}

/** Every cache's monthly cost in one account × region, by cache id. */
export function costCaches(caches: readonly CostedCache[], inputs: CostInputs): Map<string, CacheCost> {
  return new CostMemo().cost(caches, inputs);
}

const dayMs = 86_400_000;

/** What a cache's price rests on besides the region-wide context: its own priced inputs and the reserved nodes it drew. */
function pricedKey(cache: CostedCache, drawn: Drawn | undefined): string {
  const shares = drawn ? drawn.shares.map((s) => `${s.id}:${s.nodes}`).join(",") : "";
  return `${cache.kind}|${cache.engine}|${cache.engineVersion}|${cache.nodeType}|${cache.nodes}|${cache.href}|${shares}`;
}

/**
 * costCaches for a caller that prices the same region again and again (the watcher, on every change): a cache is
 * priced again only when its priced inputs (kind, engine, version, node type, node count, the reserved nodes it
 * drew) or the region's context changed (price book, reservations read, serverless usage read, the UTC day, which
 * reservations are active). Extended Support starts, ends and changes year on UTC day boundaries, so the day is all
 * of `now` a price depends on. At 1,100 caches a one-group failover re-prices one cache, not the region.
 */
export class CostMemo {
  private context: { book: PriceBook; region: string; reserved: readonly ReservedNodes[]; serverlessUsage: ReadonlyMap<string, ServerlessUsage>; day: number; active: string } | null = null;
  private readonly byId = new Map<string, { key: string; cost: CacheCost }>();
  /** How many caches the last call priced (the rest were kept): what the tests and the bench watch. */
  repriced = 0;

  cost(caches: readonly CostedCache[], inputs: CostInputs): Map<string, CacheCost> {
    const pools = reservationPools(inputs.reserved, inputs.now);
    const active = [...pools.values()].flatMap((p) => p.map((x) => x.reservation.id)).join(",");
    const context = { book: inputs.book, region: inputs.region, reserved: inputs.reserved, serverlessUsage: inputs.serverlessUsage, day: Math.floor(inputs.now / dayMs), active };
    const was = this.context;
    if (!was || (Object.keys(context) as (keyof typeof context)[]).some((k) => was[k] !== context[k])) this.byId.clear();
    this.context = context;
    const drawn = drawAll(caches, pools);
    const costs = new Map<string, CacheCost>();
    this.repriced = 0;
    for (const cache of caches) {
      const key = pricedKey(cache, drawn.get(cache.id));
      let held = this.byId.get(cache.id);
      if (held?.key !== key) {
        held = { key, cost: cache.kind === "serverless" ? serverlessCost(cache, inputs) : nodeCacheCost(cache, inputs, drawn.get(cache.id)) };
        this.byId.set(cache.id, held);
        this.repriced += 1;
      }
      costs.set(cache.id, held.cost);
    }
    if (this.byId.size > costs.size) for (const id of this.byId.keys()) if (!costs.has(id)) this.byId.delete(id);
    return costs;
  }

  /** The cost the last call gave this cache, if it priced it. */
  costOf(id: string): CacheCost | undefined {
    return this.byId.get(id)?.cost;
  }
}
