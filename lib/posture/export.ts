import type { ClusterSummary } from "@/lib/data/model";
import { toCsv } from "@/lib/csv";
import { controls } from "./controls";

// The fleet's posture as an auditor reads it: one row per cache and control (passes and not-applicable ones too, so
// the export shows what was checked, not only what failed), each with the cache's engine lifecycle.

const header = [
  "account", "region", "kind", "cache", "engine", "engine_version",
  "lifecycle_state", "standard_support_ends", "extended_support_ends", "automatic_upgrade_after", "lifecycle",
  "control", "control_title", "source", "severity", "outcome", "detail",
] as const;

export function postureToCsv(caches: readonly ClusterSummary[]): string {
  const rows = caches.flatMap((c) => {
    const l = c.posture.lifecycle;
    const cache = [c.account, c.region, c.kind, c.id, c.engine, c.engineVersion, l.state, l.standardSupportEnds, l.extendedSupportEnds, l.automaticUpgradeAfter, l.summary];
    return c.posture.controls.map((r) => {
      const def = controls[r.id];
      return [...cache, r.id, def.title, def.source, def.severity, r.outcome, r.detail];
    });
  });
  return toCsv(header, rows);
}
