import "server-only";
import type { ClusterSummary } from "@/lib/data/model";
import type { ReservedNodes } from "@/lib/aws/reserved-nodes";
import type { Place } from "@/lib/place";
import { CostMemo, type CacheCost, type ServerlessUsage } from "./cache-cost";
import { currentPriceBook } from "./prices";

/**
 * One account × region's summaries with each cache's monthly cost. The watcher owns one and calls it when it
 * rebuilds its summaries (a state change, or the next minute), so a fleet is costed once per change whatever the
 * number of viewers; the inputs it needs beyond the caches are read in the background (lib/watcher/cost-read.ts). It is on
 * the failover path, so it re-prices only the caches whose priced inputs changed (CostMemo) and copies only the
 * summaries whose summary or cost changed.
 */
export class FleetCosts {
  private readonly memo = new CostMemo();
  private readonly costed = new WeakMap<ClusterSummary, ClusterSummary>();

  constructor(private readonly place: Place) {}

  /** Caches priced by the last call (the others kept their cost). */
  get repriced(): number {
    return this.memo.repriced;
  }

  /** One cache's cost as the last costing of the fleet left it (a cache page's, without costing the list again). */
  costOf(id: string): CacheCost | null {
    return this.memo.costOf(id) ?? null;
  }

  apply(summaries: ClusterSummary[], inputs: { reserved: readonly ReservedNodes[]; serverlessUsage: ReadonlyMap<string, ServerlessUsage> }, now: number): ClusterSummary[] {
    const costs = this.memo.cost(summaries, { book: currentPriceBook(), region: this.place.region, reserved: inputs.reserved, serverlessUsage: inputs.serverlessUsage, now });
    return summaries.map((s) => {
      const cost = costs.get(s.id) ?? null;
      const held = this.costed.get(s);
      if (held && held.cost === cost) return held;
      const out = { ...s, cost };
      this.costed.set(s, out);
      return out;
    });
  }
}
