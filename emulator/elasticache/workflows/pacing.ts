import type { ElastiCacheControlPlane } from "../control-plane";

/**
 * How long AWS typically takes over each phase the emulator paces, in seconds. The real work (promoting a replica,
 * starting a node, syncing data, migrating slots) takes however long the processes take; these pauses only add the
 * waiting AWS adds around it, multiplied by the time scale, so a drill shows the same sequence at a watchable speed.
 */
export const AWS_PHASE_SECONDS = {
  /** TestFailover call (or a primary's failure) → the promotion starts. AWS reports failover in 1–3 minutes. */
  failoverDetection: 60,
  /** A failed or demoted node being replaced by a new one, before it syncs ("Recovering" → "Finished recovery"). */
  nodeReplacement: 600,
  /** Provisioning new nodes for a scale (node type, replicas, shards), before they sync. */
  nodeProvisioning: 300,
  /** Turning automatic failover / Multi-AZ on or off (status modifying, AutomaticFailover enabling/disabling). */
  failoverSettingChange: 60,
} as const;

export type PacedPhase = keyof typeof AWS_PHASE_SECONDS;

export function phaseMs(cp: ElastiCacheControlPlane, phase: PacedPhase): number {
  return Math.round(AWS_PHASE_SECONDS[phase] * 1000 * cp.settings.timeScale);
}

/** Waits out a paced phase; stops early (ShuttingDown) if the emulator shuts down meanwhile. */
export async function pace(cp: ElastiCacheControlPlane, phase: PacedPhase): Promise<void> {
  const ms = phaseMs(cp, phase);
  if (ms <= 0) return;
  const until = Date.now() + ms;
  await cp.waitUntil(async () => Date.now() >= until, `the ${phase} phase to pass`, ms + 10_000);
}
