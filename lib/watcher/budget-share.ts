// The CloudWatch budget (CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY) is the instance's, not each watcher's: with one watcher
// per account × region, a budget given whole to each would be spent once per region. Each watcher that reads gets a
// part in proportion to the metrics its fleet-wide read asks for, so every region's fleet is read equally often and
// the parts add up to the budget. They share the clock too: each watcher's periodic reads run at its own phase.

export interface BudgetClaimant {
  fleetMetricCount(): number;
  readonly readsMetrics: boolean;
}

/** `me`'s share (0–1) of the budget among `all` (which includes it); the whole budget while nobody else reads. */
export function budgetShareOf(me: BudgetClaimant, all: Iterable<BudgetClaimant>): number {
  let total = 0;
  for (const w of all) if (w.readsMetrics) total += w.fleetMetricCount();
  const mine = me.readsMetrics ? me.fleetMetricCount() : 0;
  return total === 0 || mine === 0 ? 1 : mine / total;
}

/** `me`'s phase (0–1) among the watchers `all`: evenly spaced in key order, so two regions are half a period apart. */
export function phaseOf(me: string, all: Iterable<string>): number {
  const keys = [...all].sort();
  const index = keys.indexOf(me);
  return index < 0 ? 0 : index / keys.length;
}
