import type { Cache } from "@/lib/aws/model";
import { evaluateControls, findingsOf, type ControlResult, type ControlId, type Severity } from "./controls";
import { judgeLifecycle, type Lifecycle } from "./engine-lifecycle";

/** A cache's posture: its engine's place in the support calendar and each control's outcome. */
export interface Posture {
  lifecycle: Lifecycle;
  controls: ControlResult[];
}

/**
 * What the fleet table needs of it: the lifecycle's state and line, and the failed controls — not every pass nor
 * every date, which at 1,000 rows would weigh more than the rest of the row.
 */
export interface PostureBrief {
  lifecycle: Pick<Lifecycle, "state" | "summary" | "daysLeft">;
  findings: { id: ControlId; severity: Severity }[];
}

/** Judged when the watcher rebuilds its summaries (after a describe or metrics read), never per viewer. */
export function postureOf(cache: Cache, today: Date): Posture {
  return { lifecycle: judgeLifecycle(cache.engine, cache.engineVersion, today), controls: evaluateControls(cache) };
}

export function briefOf(posture: Posture): PostureBrief {
  const { state, summary, daysLeft } = posture.lifecycle;
  return { lifecycle: { state, summary, daysLeft }, findings: findingsOf(posture.controls) };
}

/** Whether the cache's engine needs an upgrade soon or now: the cluster page then offers one. */
export function needsUpgrade(lifecycle: Lifecycle): boolean {
  return lifecycle.state === "standard-ends-soon" || lifecycle.state === "extended-support" || lifecycle.state === "past-extended-support";
}
