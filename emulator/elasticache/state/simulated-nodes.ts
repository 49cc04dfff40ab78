import { evenSlotRanges } from "@/emulator/nodes/redis-cluster";
import type { CacheClusterRecord, CacheNodeRecord, ReplicationGroupRecord } from "./model";

// Scale mode. A simulated node has no process: its records go through the same operations, statuses, events and
// paced phases as a real node's, but starting it, replicating to it, failing over to it or moving slots to it only
// changes the records, and its CloudWatch metrics come from a model (emulator/cloudwatch/simulated-metrics.ts). That
// is what lets one small machine hold a fleet of a thousand caches; real-process nodes stay the default.

/** The port AWS gives every node of the engine (a simulated node has no local port of its own). */
export function simulatedPort(engine: CacheClusterRecord["engine"]): number {
  return engine === "memcached" ? 11211 : 6379;
}

/**
 * A host name under .invalid (RFC 2606: never resolves), so nothing mistakes a simulated endpoint for a local
 * process, and every node's endpoint differs as on AWS.
 */
export function simulatedHost(region: string, name: string): string {
  return `${name}.${region}.simulated.invalid`;
}

/** "Starts" a simulated node: it listens at once, on its engine's port. */
export function startSimulatedNode(cluster: CacheClusterRecord, node: CacheNodeRecord): void {
  node.port = simulatedPort(cluster.engine);
  delete node.exitedAt;
}

/** A simulated cluster's slots after a reshard: spread evenly, as a rebalance leaves them. */
export function spreadSlotsEvenly(rg: ReplicationGroupRecord): void {
  evenSlotRanges(rg.nodeGroups.length).forEach((range, i) => (rg.nodeGroups[i].slots = `${range.start}-${range.end}`));
}
