import "server-only";
import { asSharedReader, outsideCallScope, type AwsProblem } from "@/lib/aws";
import { AwsError } from "@/lib/aws/errors";
import type { ReservedNodes } from "@/lib/aws/reserved-nodes";
import type { ServerlessUsage } from "@/lib/cost/cache-cost";
import { applyRegionPrices, readPlaceCostInputs, readRegionPrices, type DatedNodePrice, type PlaceCostInputs } from "@/lib/cost/cost-inputs";
import type { ClusterSummary } from "@/lib/data/model";
import type { Place } from "@/lib/place";

// A watcher's cost inputs: reservations and serverless usage of its account × region (hourly) and its region's node
// prices from the Price List API (daily, sooner when a node type is seen for the first time). Only the leading
// instance reads (`readIfDue`); every read, failed or not, comes back as a record the watcher commits, so followers
// apply the same answer (`apply`) and a new leader carries on from the last read's time instead of reading again.

const inputsEveryMs = 3600_000;
const pricesEveryMs = 24 * 3600_000;
/** After a failed read, try again this much later rather than on every watcher change. */
const retryMs = 5 * 60_000;
/**
 * A serverless cache without measured usage yet: read again at CloudWatch's next minute rather than the hour (a fresh
 * cache, or an app started with its emulator, has its first points within a minute); two metrics a read.
 */
const unmeasuredRetryMs = 60_000;

/** One cost read as a watcher record carries it: null data when the read failed (the problem says why). */
export type CostReadRecord =
  | { kind: "inputs"; at: number; inputs: PlaceCostInputs | null; problem: AwsProblem | null }
  | { kind: "prices"; at: number; nodeTypes: string[]; prices: DatedNodePrice[] | null; problem: AwsProblem | null };

/** The last read of each kind, for a snapshot. */
export interface CostReadDump {
  inputs: Extract<CostReadRecord, { kind: "inputs" }> | null;
  prices: Extract<CostReadRecord, { kind: "prices" }> | null;
}

const problemOf = (error: unknown, what: string): AwsProblem | null => (error instanceof AwsError ? error.toProblem(what) : null);

export class CostRead {
  private last: CostReadDump = { inputs: null, prices: null };
  private reserved: ReservedNodes[] = [];
  /** Kept as one Map until the next read: the cost memo re-prices everything when its identity changes. */
  private serverlessUsage = new Map<string, ServerlessUsage>();
  private readonly pending = new Set<CostReadRecord["kind"]>();

  constructor(
    private readonly place: Place,
    /** A read came in (or failed): the watcher commits it as a record, which applies it here and on the followers. */
    private readonly onRead: (record: CostReadRecord) => void,
  ) {}

  /** What costing takes from here. */
  inputs(): { reserved: readonly ReservedNodes[]; serverlessUsage: ReadonlyMap<string, ServerlessUsage> } {
    return { reserved: this.reserved, serverlessUsage: this.serverlessUsage };
  }

  /** For /spend: the reservations held, when they and the prices were last read and what went wrong reading. */
  held(): { reserved: ReservedNodes[]; inputsReadAt: number | null; pricesReadAt: number | null; inputsProblem: AwsProblem | null; pricesProblem: AwsProblem | null } {
    const prices = this.last.prices;
    return {
      reserved: this.reserved,
      inputsReadAt: this.last.inputs?.inputs ? this.last.inputs.at : null,
      pricesReadAt: prices?.prices ? prices.at : null,
      inputsProblem: this.last.inputs?.problem ?? null,
      pricesProblem: prices?.problem ?? null,
    };
  }

  /** Leader only: starts the reads that are due for these summaries; a page never waits for them. */
  readIfDue(summaries: readonly ClusterSummary[], now: number): void {
    const inputs = this.last.inputs;
    const serverless = summaries.filter((s) => s.kind === "serverless").map((s) => s.id);
    // A serverless cache the last read found no usage for (new, or its first hour not yet published) has no cost:
    // read again within a minute rather than an hour, as a new node type's price is read at once.
    const unmeasured = inputs?.inputs != null && serverless.some((id) => !inputs.inputs!.serverlessUsage.some(([name]) => name === id));
    if (!inputs || now >= inputs.at + (!inputs.inputs ? retryMs : unmeasured ? unmeasuredRetryMs : inputsEveryMs)) {
      this.start("inputs", async () => {
        try {
          return { kind: "inputs", at: now, inputs: await readPlaceCostInputs(this.place, serverless, now), problem: null };
        } catch (error) {
          return { kind: "inputs", at: now, inputs: null, problem: problemOf(error, "reserved nodes and serverless usage") };
        }
      });
    }
    const nodeTypes = [...new Set(summaries.flatMap((s) => (s.nodeType ? [s.nodeType] : [])))].sort();
    const prices = this.last.prices;
    // A type not asked for last time (a new cache) moves the read forward: its price comes within minutes, not a day.
    const unpriced = prices !== null && nodeTypes.some((t) => !prices.nodeTypes.includes(t));
    if (!prices || now >= prices.at + (prices.prices ? pricesEveryMs : retryMs) || (unpriced && now >= prices.at + retryMs)) {
      this.start("prices", async () => {
        try {
          return { kind: "prices", at: now, nodeTypes, prices: await readRegionPrices(this.place.region, nodeTypes), problem: null };
        } catch (error) {
          // AccessDenied (no pricing:GetProducts), no network to the Price List endpoint: the snapshot stays in use.
          return { kind: "prices", at: now, nodeTypes, prices: null, problem: problemOf(error, "prices from the AWS Price List API") };
        }
      });
    }
  }

  private start(kind: CostReadRecord["kind"], read: () => Promise<CostReadRecord>): void {
    if (this.pending.has(kind)) return;
    this.pending.add(kind);
    // Outside the request that happened to trigger it, and marked as a shared reader's call.
    void outsideCallScope(() => asSharedReader("cost", read))
      .then((record) => this.onRead(record))
      .catch((error) => console.error(`[cachedeck] cost ${kind} read for ${this.place.account}/${this.place.region}:`, error))
      .finally(() => this.pending.delete(kind));
  }

  /** A read's record, from this instance's own read or the leader's; a failed read keeps what the last one held. */
  apply(record: CostReadRecord): void {
    if (record.kind === "inputs") {
      this.last.inputs = record;
      if (record.inputs) {
        this.reserved = record.inputs.reserved;
        this.serverlessUsage = new Map(record.inputs.serverlessUsage);
      }
    } else {
      this.last.prices = record;
      if (record.prices) applyRegionPrices(this.place.region, record.prices);
    }
  }

  dump(): CostReadDump {
    return { ...this.last };
  }

  load(dump: CostReadDump): void {
    if (dump.inputs) this.apply(dump.inputs);
    if (dump.prices) this.apply(dump.prices);
  }
}
