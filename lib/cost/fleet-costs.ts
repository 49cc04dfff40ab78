import "server-only";
import type { ClusterSummary } from "@/lib/data/model";
import type { Place } from "@/lib/place";
import { costCaches } from "./cache-cost";
import { costInputsFor, notePricedTypes } from "./cost-inputs";
import { currentPriceBook } from "./prices";

/**
 * The summaries of one account × region with each cache's monthly cost. The watcher calls this when it rebuilds its
 * summaries (a state change, or the next minute), so the cost of a fleet is worked out once per change, whatever
 * the number of viewers; the inputs it needs beyond the caches are read in the background (./cost-inputs.ts).
 */
export function withCosts(place: Place, summaries: ClusterSummary[], now: number): ClusterSummary[] {
  notePricedTypes(place.region, new Set(summaries.flatMap((s) => (s.nodeType ? [s.nodeType] : []))), now);
  const inputs = costInputsFor(place, summaries.filter((s) => s.kind === "serverless").map((s) => s.id), now);
  const costs = costCaches(summaries, { book: currentPriceBook(), region: place.region, reserved: inputs.reserved, serverlessUsage: inputs.serverlessUsage, now });
  return summaries.map((s) => ({ ...s, cost: costs.get(s.id) ?? null }));
}
