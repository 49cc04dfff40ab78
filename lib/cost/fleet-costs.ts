import "server-only";
import type { ClusterSummary } from "@/lib/data/model";
import type { Place } from "@/lib/place";
import { CostMemo } from "./cache-cost";
import { costInputsFor, notePricedTypes } from "./cost-inputs";
import { currentPriceBook } from "./prices";

/**
 * One account × region's summaries with each cache's monthly cost. The watcher owns one and calls it when it
 * rebuilds its summaries (a state change, or the next minute), so a fleet is costed once per change whatever the
 * number of viewers; the inputs it needs beyond the caches are read in the background (./cost-inputs.ts). It is on
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

  apply(summaries: ClusterSummary[], now: number): ClusterSummary[] {
    notePricedTypes(this.place.region, new Set(summaries.flatMap((s) => (s.nodeType ? [s.nodeType] : []))), now);
    const inputs = costInputsFor(this.place, () => summaries.filter((s) => s.kind === "serverless").map((s) => s.id), now);
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
