import "server-only";
import type { Cache } from "@/lib/aws";
import { getAuditLog } from "@/lib/audit";
import { drillConfig } from "@/lib/env";
import { cacheAccessFor, type CacheAccess } from "@/lib/drills/cache-access";
import type { ProbeResult } from "@/lib/drills/model";
import { memberIds, observeGroup, type Endpoint } from "@/lib/drills/observe";
import { WriteProbe } from "@/lib/drills/probe";
import { runnerIsGone, thisRunner } from "@/lib/drills/runner-identity";
import { DEFAULT_STALE_AFTER_MS, HEARTBEAT_INTERVAL_MS } from "@/lib/drills/store";
import type { Place } from "@/lib/place";

// While AWS upgrades a group's engine, the drill's write probe (lib/drills/probe.ts, the same client) writes to it
// from the CacheDeck server, so the person who started the upgrade learns what an application saw: how many writes
// were acknowledged, whether any was lost, and the longest window in which writes were refused. One probe per
// operation (keyed by its audit record), stopped when the group runs the target engine and is available again, or at
// a deadline; its result is written to the audit record's follow-up, which the cluster page's banner shows.

/** Longer than any rolling replacement AWS makes of a group (the emulator's takes seconds to minutes). */
export const UPGRADE_PROBE_DEADLINE_MS = 60 * 60_000;
/** One DescribeReplicationGroups and one DescribeCacheClusters per check, for as long as the upgrade runs: a cost per operation, not per viewer. */
const CHECK_EVERY_MS = 5_000;
const ENDPOINT_REFRESH_MS = 1_000;

export interface UpgradeTarget {
  engine: string;
  version: string;
}

/** The group has finished: available, and every member reports the target engine and version. */
export function upgradeFinished(group: Pick<Cache, "status" | "engine" | "engineVersion">, target: UpgradeTarget): boolean {
  return group.status === "available" && group.engine === target.engine && group.engineVersion !== null && group.engineVersion.split(".").slice(0, 2).join(".") === target.version;
}

export interface FollowDeps {
  probe: { start(): void; stop(): Promise<ProbeResult> };
  /** True once the change is over; an error counts as "not yet" (AWS answers again at the next check). */
  finished(): Promise<boolean>;
  deadlineMs: number;
  checkEveryMs: number;
}

export interface FollowOutcome {
  ended: "finished" | "deadline";
  probe: ProbeResult;
}

/** Runs the probe until the change is finished or the deadline passes, then stops it (reading every key back). */
export async function followWithProbe(deps: FollowDeps): Promise<FollowOutcome> {
  const deadline = Date.now() + deps.deadlineMs;
  deps.probe.start();
  let ended: FollowOutcome["ended"] = "deadline";
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(deps.checkEveryMs, Math.max(deadline - Date.now(), 0))));
    if (await deps.finished().catch(() => false)) {
      ended = "finished";
      break;
    }
  }
  return { ended, probe: await deps.probe.stop() };
}

const count = (n: number) => n.toLocaleString("en-US");

/** The sentence the audit record keeps and the cluster page shows. */
export function describeFollowOutcome({ ended, probe }: FollowOutcome): string {
  const lost = probe.problem ? `loss unknown (${probe.problem})` : `${count(probe.keysLost)} lost`;
  const sentence = `probe: ${count(probe.writesAcknowledged)} writes acknowledged, ${lost}, longest refused-write window ${count(probe.longestWriteOutageMs)} ms`;
  const when = ended === "finished" ? "until the upgrade finished" : "stopped at its deadline, before the upgrade finished";
  const sample = probe.keysLost > 0 ? `; lost keys (sample): ${probe.lostKeySample.join(", ")}` : "";
  return `${sentence} (${when}${sample})`;
}

/**
 * The group as the probe follows it: `observe` reads it with its members' own engine versions (DescribeReplicationGroups
 * alone does not report the version a group runs); `resolve` gives the probe the primary endpoint, read again after a
 * failure as an application re-resolves the endpoint's DNS name, at most once a second (on AWS the name moves; in the
 * emulator the port does), so the probe keeps writing to a stale address for up to that second, as applications do.
 */
export function followGroup(place: Place, group: Cache): { observe(): Promise<Cache>; resolve(): Promise<Endpoint[]> } {
  let endpoints: Endpoint[] = [];
  let members: string[] = group.nodes.map((n) => n.cacheClusterId);
  let lastRead = 0;
  const observe = async () => {
    lastRead = Date.now();
    const observed = await observeGroup(place, group.id, { statusOf: members });
    endpoints = observed.endpoints;
    members = memberIds(observed);
    return observed.group;
  };
  const resolve = async () => {
    if (Date.now() - lastRead >= ENDPOINT_REFRESH_MS) await observe().catch(() => undefined);
    return endpoints;
  };
  return { observe, resolve };
}

/** The drill's write probe as the upgrade runs it: keys without expiry, so an evicting cache cannot pass for loss. */
export function upgradeWriteProbe(run: `upgrade:${number}`, group: Cache, resolve: () => Promise<Endpoint[]>, access?: CacheAccess): WriteProbe {
  const shardSlots = group.shards.map((s) => ({ shard: s.id, slots: s.slots ?? "" }));
  return new WriteProbe(run, { clusterMode: group.clusterMode, resolve, shardSlots, access }, { intervalMs: 100, keyTtlSeconds: null });
}

const running: Map<number, Promise<void>> = ((globalThis as { __cachedeckUpgradeProbes?: Map<number, Promise<void>> }).__cachedeckUpgradeProbes ??= new Map());

/**
 * Starts the probe for an engine upgrade AWS accepted (audit record `auditId`) and returns at once; the result lands
 * in the audit record. A group CacheDeck cannot write to (an AUTH token it lacks) gets the reason recorded instead.
 * The probe lives in this server process: if it dies mid-upgrade, a living instance records the probe as stopped
 * (settleStoppedUpgradeProbes); if the probe itself fails, it says so.
 */
export function startUpgradeProbe(auditId: number, place: Place, group: Cache, target: UpgradeTarget): void {
  if (running.has(auditId)) return;
  const record = async (followUp: string) => (await getAuditLog()).recordFollowUp(auditId, followUp);
  const access = cacheAccessFor(drillConfig().cacheAccess, place, group);
  const work = (async () => {
    if ("problem" in access) return record(`probe: not started — ${access.problem}`);
    // Heartbeats while it runs, so that if this process dies another instance records the probe as stopped.
    const audit = await getAuditLog();
    await audit.followUpRunning(auditId, thisRunner);
    const heartbeat = setInterval(() => void audit.followUpHeartbeat(auditId).catch(() => undefined), HEARTBEAT_INTERVAL_MS);
    heartbeat.unref();
    try {
      const follower = followGroup(place, group);
      await follower.observe();
      const outcome = await followWithProbe({
        probe: upgradeWriteProbe(`upgrade:${auditId}`, group, follower.resolve, access),
        finished: async () => upgradeFinished(await follower.observe(), target),
        deadlineMs: UPGRADE_PROBE_DEADLINE_MS,
        checkEveryMs: CHECK_EVERY_MS,
      });
      await record(describeFollowOutcome(outcome));
    } finally {
      clearInterval(heartbeat);
    }
  })()
    .catch(async (error) => {
      console.error(`[cachedeck] engine upgrade probe of audit record #${auditId} failed`, error);
      // Not left to the sweep, which would blame a stopped instance; the error itself stays in the server log.
      await record(`probe: failed in CacheDeck (see its server log) before the upgrade finished, so its figures are lost.`).catch(() => undefined);
    })
    .finally(() => running.delete(auditId));
  running.set(auditId, work);
}

/** What the record of a probe whose process died says: the figures are gone, the keys may not be. */
export function stoppedProbeFinding(auditId: number): string {
  const pattern = `cachedeck:upgrade:${auditId}:*`;
  return `probe: stopped — the CacheDeck instance running it stopped (restart or crash) before the upgrade finished, so its figures are lost. Its keys (${pattern}, written without expiry) may remain in the group: redis-cli --scan --pattern '${pattern}' lists them for deletion.`;
}

/**
 * Probes whose instance died (no heartbeat for the stale-after interval, or a dead pid on this host) get that said in
 * their record's follow-up; returns their audit ids. Run by every instance's sweep (lib/drills/index.ts).
 */
export async function settleStoppedUpgradeProbes(): Promise<number[]> {
  return (await getAuditLog()).settleAbandonedFollowUps({ staleAfterMs: DEFAULT_STALE_AFTER_MS, runnerGone: runnerIsGone, finding: stoppedProbeFinding });
}
