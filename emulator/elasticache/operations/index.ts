import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { cacheClusterOperations } from "./cache-clusters";
import { catalogOperations } from "./catalog";
import { eventOperations } from "./events";
import { replicationGroupOperations } from "./replication-groups";
import { serverlessCacheOperations } from "./serverless-caches";
import { modifyReplicationGroupOperations } from "./modify-replication-group";
import { replicaCountOperations } from "./replica-count";
import { shardConfigurationOperations } from "./shard-configuration";
import { tagOperations } from "./tags";
import { testFailoverOperations } from "./test-failover";

/** A file's worth of operations. Later features (TestFailover, Modify…, scaling) add theirs to OPERATION_SETS. */
export type OperationSet = (cp: ElastiCacheControlPlane) => Record<string, Operation>;

export const OPERATION_SETS: readonly OperationSet[] = [
  replicationGroupOperations,
  cacheClusterOperations,
  serverlessCacheOperations,
  eventOperations,
  catalogOperations,
  tagOperations,
  testFailoverOperations,
  modifyReplicationGroupOperations,
  replicaCountOperations,
  shardConfigurationOperations,
];
