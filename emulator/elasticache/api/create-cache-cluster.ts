import { z } from "zod";
import { parseInput, qInt, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { defaultParameterGroup, findEngineVersion } from "../state/engines";
import { requireClusterModeMatch, requireParameterGroup } from "./parameter-group-check";
import { ENGINES, type CacheClusterRecord } from "../state/model";
import { setTags } from "../state/tags";
import { availabilityZones, isAvailabilityZoneOf } from "../state/zones";
import { cacheClusterLifecycle, launch } from "../workflows/lifecycle";
import { refuseNonIpv4, settingsForCreate, settingsInput } from "./cache-settings-input";
import { fault, invalidCombination, invalidValue } from "./errors";
import { resourceId, tagList } from "./input-schemas";
import { checkNodeQuota, mergeTags } from "./lookups";
import { renderCacheCluster } from "./render";
import { refuseUnsupported, requireNodeType } from "./shared";

/** AWS's limit for one Memcached cluster. */
export const MAX_MEMCACHED_NODES = 40;

const createSchema = z.object({
  CacheClusterId: resourceId("CacheClusterId", 50),
  ReplicationGroupId: z.string().optional(),
  Engine: z.string().optional(),
  EngineVersion: z.string().optional(),
  CacheNodeType: z.string().optional(),
  NumCacheNodes: qInt.optional(),
  AZMode: z.enum(["single-az", "cross-az"]).optional(),
  PreferredAvailabilityZone: z.string().optional(),
  PreferredAvailabilityZones: qList(z.string()).optional(),
  CacheParameterGroupName: z.string().optional(),
  Tags: tagList.optional(),
  SnapshotArns: qList(z.string()).optional(),
  SnapshotName: z.string().optional(),
  ...settingsInput,
});

/** Parameters for features the emulator does not model: refused by name rather than dropped. */
const UNSUPPORTED = [
  "SnapshotArns",
  "SnapshotName",
  "CacheSecurityGroupNames",
  "PreferredMaintenanceWindow",
  "NotificationTopicArn",
  "OutpostMode",
  "PreferredOutpostArn",
  "PreferredOutpostArns",
  // Not a CreateCacheCluster parameter on AWS either: at-rest encryption needs a replication group.
  "AtRestEncryptionEnabled",
  "TransitEncryptionMode",
];

type CreateInput = z.output<typeof createSchema>;

/** The zone of each node: named zones, or one zone (single-az), or spread over the region's zones (cross-az). */
function placeNodes(region: string, input: CreateInput, count: number, engine: string): string[] {
  const zones = availabilityZones(region);
  if (input.AZMode && engine !== "memcached") throw invalidCombination("AZMode applies to Memcached clusters only");
  const named = input.PreferredAvailabilityZones;
  let chosen: string[];
  if (named) {
    if (named.length !== count) {
      throw invalidValue(`PreferredAvailabilityZones lists ${named.length} zones for ${count} cache nodes; the numbers must match`);
    }
    chosen = named;
  } else if (input.AZMode === "cross-az") {
    chosen = Array.from({ length: count }, (_, i) => zones[i % zones.length]);
  } else {
    chosen = new Array<string>(count).fill(input.PreferredAvailabilityZone ?? zones[0]);
  }
  const wrong = chosen.find((zone) => !isAvailabilityZoneOf(region, zone));
  if (wrong) throw invalidValue(`Invalid availability zone ${wrong} for region ${region}; valid zones: ${zones.join(", ")}`);
  return chosen;
}

export function createCacheCluster(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(createSchema, raw);
    refuseUnsupported(raw, UNSUPPORTED);
    refuseNonIpv4(raw);
    if (input.ReplicationGroupId) {
      throw invalidCombination("Adding a cache cluster to a replication group is not supported by the emulator; use IncreaseReplicaCount");
    }
    const state = cp.regionState(ctx.region);
    const id = input.CacheClusterId;
    const engine = ENGINES.find((e) => e === (input.Engine ?? "redis").toLowerCase());
    if (!engine) throw invalidValue(`Invalid Engine ${input.Engine}: use memcached, redis or valkey`);
    const version = findEngineVersion(engine, input.EngineVersion);
    if (!version) throw invalidCombination(`Cannot find version ${input.EngineVersion} for ${engine}`);
    const cacheNodeType = requireNodeType(input.CacheNodeType);
    const count = input.NumCacheNodes ?? input.PreferredAvailabilityZones?.length ?? 1;
    if (engine !== "memcached" && count !== 1) {
      throw invalidCombination(`Cannot create a ${engine} cluster with a NumCacheNodes parameter greater than 1; use a replication group for replicas`);
    }
    if (count < 1 || count > MAX_MEMCACHED_NODES) throw invalidValue(`NumCacheNodes must be between 1 and ${MAX_MEMCACHED_NODES}`);
    const namedGroup = input.CacheParameterGroupName === undefined ? undefined : requireParameterGroup(state, input.CacheParameterGroupName, version);
    if (namedGroup) requireClusterModeMatch(namedGroup, false, `cache cluster ${id}`);
    const zones = placeNodes(ctx.region, input, count, engine);
    const settings = settingsForCreate(state, ctx.region, input, engine);
    if (state.cacheClusters[id]) throw fault("CacheClusterAlreadyExistsFault", `Cache cluster ${id} already exists.`);
    checkNodeQuota(state, count, cp.settings.nodeQuotaPerRegion);
    const arn = cp.arn(ctx.region, "cluster", id);
    const tags = mergeTags(arn, [], input.Tags ?? []);

    const now = ctx.receivedAt.toISOString();
    const cluster: CacheClusterRecord = {
      cacheClusterId: id,
      engine,
      engineVersion: version.version,
      cacheNodeType,
      status: "creating",
      createTime: now,
      azMode: new Set(zones).size > 1 ? "cross-az" : "single-az",
      cacheParameterGroupName: namedGroup?.cacheParameterGroupName ?? defaultParameterGroup(version, false),
      nodes: zones.map((zone, i) => ({
        cacheNodeId: String(i + 1).padStart(4, "0"),
        status: "creating",
        createTime: now,
        availabilityZone: zone,
        port: 0,
      })),
      pendingModifiedValues: {},
      simulated: ctx.simulatedNodes,
      settings,
    };
    state.cacheClusters[id] = cluster;
    setTags(state, arn, tags);
    cp.save();
    launch(cp, cacheClusterLifecycle(cp, ctx.region, cluster));
    return { CacheCluster: renderCacheCluster(cp.accountId, ctx.region, cluster, false) };
  };
}
