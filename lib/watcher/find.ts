import "server-only";
import type { Cache } from "@/lib/aws";
import { findCluster } from "@/lib/data/cluster";
import { findServerlessCache } from "@/lib/data/serverless";
import { firstReadWaitMs } from "@/lib/data/fleet";
import { watcherFor } from "./registry";
import type { Place } from "@/lib/place";

/**
 * Whether a replication group or cache cluster exists, from the region's watcher without an AWS call when it knows
 * the id; an id it does not know (created since its last describe, or a wrong one) is looked up in AWS.
 */
export async function findWatchedCluster(place: Place, id: string): Promise<Cache | null> {
  const watcher = watcherFor(place);
  await watcher.ready(firstReadWaitMs);
  return (watcher.described ? watcher.find(id) : null) ?? findCluster(place, id);
}

/** The same for a serverless cache: from the watcher when it knows the name, else looked up in AWS. */
export async function findWatchedServerless(place: Place, name: string): Promise<Cache | null> {
  const watcher = watcherFor(place);
  await watcher.ready(firstReadWaitMs);
  return (watcher.described ? watcher.findServerless(name) : null) ?? findServerlessCache(place, name);
}
