import "server-only";
import { asSharedReader, getMetricSeries, outsideCallScope, type AwsProblem } from "@/lib/aws";
import { AwsError } from "@/lib/aws/errors";
import { listNodePrices } from "@/lib/aws/pricing";
import { describeReservedNodes, type ReservedNodes } from "@/lib/aws/reserved-nodes";
import { placeKey, type Place } from "@/lib/place";
import type { ServerlessUsage } from "./cache-cost";
import { currentPriceBook, setCurrentPriceBook, withApiNodePrices } from "./prices";

// What costing needs besides the caches, read at most once an hour per account × region (reservations, serverless
// usage) and once a day for prices, in the background and shared by every viewer: a page never waits for these
// reads, it shows what is held (the snapshot's prices, no reservations yet) and the next watcher change shows more.

const inputsTtlMs = 3600_000;
const pricesTtlMs = 24 * 3600_000;
/** After a failed read, try again this much later rather than on every watcher change. */
const retryMs = 5 * 60_000;

interface PlaceInputs {
  reserved: ReservedNodes[];
  serverlessUsage: Map<string, ServerlessUsage>;
  readAt: number | null;
  nextReadAt: number;
  problem: AwsProblem | null;
}

interface Registry {
  places: Map<string, PlaceInputs>;
  prices: { readAt: number | null; nextReadAt: number; problem: AwsProblem | null; nodeTypes: Map<string, Set<string>> };
  running: Set<string>;
}

const registry: Registry = ((globalThis as { __cachedeckCostInputs?: Registry }).__cachedeckCostInputs ??= {
  places: new Map(),
  prices: { readAt: null, nextReadAt: 0, problem: null, nodeTypes: new Map() },
  running: new Set(),
});

const problemOf = (error: unknown, what: string): AwsProblem | null => (error instanceof AwsError ? error.toProblem(what) : null);

function once(key: string, work: () => Promise<void>): void {
  if (registry.running.has(key)) return;
  registry.running.add(key);
  void outsideCallScope(() => asSharedReader("cost", work))
    .catch((error) => console.error(`[cachedeck] cost inputs ${key}:`, error))
    .finally(() => registry.running.delete(key));
}

const GB = 1e9;

/** Average data stored and ECPUs of the last whole hour, one GetMetricData for every serverless cache of the place. */
async function readServerlessUsage(place: Place, names: string[], now: number): Promise<Map<string, ServerlessUsage>> {
  if (names.length === 0) return new Map();
  const end = Math.floor(now / 60_000) * 60_000;
  const requests = names.flatMap((name) => [
    { key: `${name}|bytes`, namespace: "AWS/ElastiCache", metricName: "BytesUsedForCache", dimensions: { clusterId: name }, stat: "Average", period: 3600 },
    { key: `${name}|ecpu`, namespace: "AWS/ElastiCache", metricName: "ElastiCacheProcessingUnits", dimensions: { clusterId: name }, stat: "Sum", period: 3600 },
  ]);
  const series = await getMetricSeries(place, requests, { start: new Date(end - 3600_000), end: new Date(end) });
  const usage = new Map<string, ServerlessUsage>();
  for (const name of names) {
    const bytes = series.get(`${name}|bytes`)?.values.at(-1);
    const ecpu = series.get(`${name}|ecpu`)?.values.at(-1);
    if (bytes !== undefined) usage.set(name, { gb: bytes / GB, ecpuPerHour: ecpu ?? 0 });
  }
  return usage;
}

/**
 * The inputs held for `place` (empty until the first read ends); starts a read when they are older than an hour.
 * `serverlessNames` is only called when a read starts (the watcher calls this on every change).
 */
export function costInputsFor(place: Place, serverlessNames: () => string[], now = Date.now()): PlaceInputs {
  const key = placeKey(place);
  let held = registry.places.get(key);
  if (!held) {
    held = { reserved: [], serverlessUsage: new Map(), readAt: null, nextReadAt: 0, problem: null };
    registry.places.set(key, held);
  }
  if (now >= held.nextReadAt) {
    const target = held;
    target.nextReadAt = now + retryMs;
    once(`inputs:${key}`, async () => {
      try {
        const [reserved, usage] = await Promise.all([describeReservedNodes(place), readServerlessUsage(place, serverlessNames(), now)]);
        Object.assign(target, { reserved, serverlessUsage: usage, readAt: Date.now(), nextReadAt: Date.now() + inputsTtlMs, problem: null });
      } catch (error) {
        target.problem = problemOf(error, "reserved nodes and serverless usage");
      }
    });
  }
  return held;
}

/**
 * Node types seen in `region`: the daily Price List read asks for those. A type seen for the first time moves the
 * next read forward, so a new cache's price comes from the API within minutes, not a day.
 */
export function notePricedTypes(region: string, nodeTypes: Iterable<string>, now = Date.now()): void {
  const prices = registry.prices;
  const known = prices.nodeTypes.get(region) ?? new Set<string>();
  let added = false;
  for (const t of nodeTypes) {
    if (known.has(t)) continue;
    known.add(t);
    added = true;
  }
  prices.nodeTypes.set(region, known);
  if (added && prices.readAt !== null) prices.nextReadAt = Math.min(prices.nextReadAt, now + retryMs);
  if (now < prices.nextReadAt) return;
  prices.nextReadAt = now + retryMs;
  once("prices", async () => {
    try {
      const answers = await Promise.all([...prices.nodeTypes].map(([r, types]) => listNodePrices(r, [...types])));
      const date = new Date().toISOString().slice(0, 10);
      setCurrentPriceBook(withApiNodePrices(answers.flat().map((p) => ({ ...p, date }))));
      Object.assign(prices, { readAt: Date.now(), nextReadAt: Date.now() + pricesTtlMs, problem: null });
    } catch (error) {
      // AccessDenied (no pricing:GetProducts), no network to the Price List endpoint: the snapshot stays in use.
      prices.problem = problemOf(error, "prices from the AWS Price List API");
    }
  });
}

/** Where prices come from now, for the pages that show the price date. */
export function priceStatus(): { apiReadAt: number | null; problem: AwsProblem | null; snapshotDate: string } {
  const { readAt, problem } = registry.prices;
  return { apiReadAt: readAt, problem, snapshotDate: currentPriceBook().snapshotDate };
}

/** Every reservation read so far, with the account × region it belongs to, for /spend. */
export function reservationsHeld(): { key: string; reserved: ReservedNodes[] }[] {
  return [...registry.places].map(([key, p]) => ({ key, reserved: p.reserved }));
}

/** Problems reading reservations or usage per place, for /spend. */
export function costInputProblems(): AwsProblem[] {
  return [...registry.places.values()].flatMap((p) => (p.problem ? [p.problem] : []));
}
