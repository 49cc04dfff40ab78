import type { ComponentFactory } from "../component";
import { CacheWorkload } from "./cache-workload";
import type { ResourceKind } from "./targets";
import { parseWorkload } from "./workload-config";

const ID_KEYS: Record<ResourceKind, string> = { replicationGroups: "ReplicationGroupId", cacheClusters: "CacheClusterId", serverlessCaches: "ServerlessCacheName" };

/** Demo traffic is on unless `workload: false` is passed or CACHEDECK_WORKLOAD is off / false / 0. */
export function workloadEnabled(option: boolean | undefined, env: Record<string, string | undefined> = process.env): boolean {
  if (option !== undefined) return option;
  return !["off", "false", "0", "no"].includes((env.CACHEDECK_WORKLOAD ?? "").toLowerCase());
}

/**
 * Drives the traffic the fleet file's `workload` sections describe at each cache, from the moment it is available.
 * Invalid sections stop the emulator at start with the entry's place in the file.
 */
export const workloadComponent: ComponentFactory = ({ controlPlane, fleet, fleetPlace, log, options }) => {
  if (!fleet || !workloadEnabled(options.workload)) return {};
  const workloads: CacheWorkload[] = [];
  for (const [region, resources] of Object.entries(fleet.regions)) {
    for (const kind of Object.keys(ID_KEYS) as ResourceKind[]) {
      resources[kind].forEach((entry, index) => {
        if (entry.workload === undefined) return;
        const config = parseWorkload(entry.workload, `${fleetPlace}regions.${region}.${kind}[${index}]`);
        workloads.push(new CacheWorkload({ region, kind, id: String(entry[ID_KEYS[kind]]) }, config, controlPlane, log));
      });
    }
  }
  for (const w of workloads) w.start();
  if (workloads.length) log(`workload: driving traffic at ${workloads.length} cache(s) (CACHEDECK_WORKLOAD=off turns it off)`);
  return { stop: async () => void (await Promise.all(workloads.map((w) => w.stop()))) };
};
