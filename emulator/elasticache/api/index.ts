import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { addTagsToResource } from "./add-tags-to-resource";
import { createCacheCluster } from "./create-cache-cluster";
import { createCacheParameterGroup } from "./create-cache-parameter-group";
import { createReplicationGroup } from "./create-replication-group";
import { createCacheSubnetGroup } from "./create-cache-subnet-group";
import { createServerlessCache } from "./create-serverless-cache";
import { decreaseReplicaCount } from "./decrease-replica-count";
import { deleteCacheCluster } from "./delete-cache-cluster";
import { deleteCacheSubnetGroup } from "./delete-cache-subnet-group";
import { deleteReplicationGroup } from "./delete-replication-group";
import { deleteServerlessCache } from "./delete-serverless-cache";
import { describeCacheClusters } from "./describe-cache-clusters";
import { describeCacheEngineVersions } from "./describe-cache-engine-versions";
import { describeCacheParameterGroups } from "./describe-cache-parameter-groups";
import { describeCacheParameters } from "./describe-cache-parameters";
import { describeCacheSubnetGroups } from "./describe-cache-subnet-groups";
import { describeEvents } from "./describe-events";
import { describeReplicationGroups } from "./describe-replication-groups";
import { describeServerlessCaches } from "./describe-serverless-caches";
import { increaseReplicaCount } from "./increase-replica-count";
import { listAllowedNodeTypeModifications } from "./list-allowed-node-type-modifications";
import { listTagsForResource } from "./list-tags-for-resource";
import { modifyCacheCluster } from "./modify-cache-cluster";
import { modifyCacheParameterGroup } from "./modify-cache-parameter-group";
import { modifyReplicationGroup } from "./modify-replication-group";
import { modifyReplicationGroupShardConfiguration } from "./modify-replication-group-shard-configuration";
import { removeTagsFromResource } from "./remove-tags-from-resource";
import { testFailover } from "./test-failover";

/** Builds one ElastiCache operation on the control plane (some keep state of their own, e.g. TestFailover's quota). */
export type OperationFactory = (cp: ElastiCacheControlPlane) => Operation;

/** Every ElastiCache operation the emulator answers, one file each, by the name AWS gives it. */
export const OPERATIONS: Readonly<Record<string, OperationFactory>> = {
  CreateReplicationGroup: createReplicationGroup,
  DescribeReplicationGroups: describeReplicationGroups,
  DeleteReplicationGroup: deleteReplicationGroup,
  ModifyReplicationGroup: modifyReplicationGroup,
  ModifyReplicationGroupShardConfiguration: modifyReplicationGroupShardConfiguration,
  IncreaseReplicaCount: increaseReplicaCount,
  DecreaseReplicaCount: decreaseReplicaCount,
  TestFailover: testFailover,
  CreateCacheCluster: createCacheCluster,
  DescribeCacheClusters: describeCacheClusters,
  DeleteCacheCluster: deleteCacheCluster,
  ModifyCacheCluster: modifyCacheCluster,
  CreateCacheSubnetGroup: createCacheSubnetGroup,
  DescribeCacheSubnetGroups: describeCacheSubnetGroups,
  DeleteCacheSubnetGroup: deleteCacheSubnetGroup,
  CreateCacheParameterGroup: createCacheParameterGroup,
  DescribeCacheParameterGroups: describeCacheParameterGroups,
  DescribeCacheParameters: describeCacheParameters,
  ModifyCacheParameterGroup: modifyCacheParameterGroup,
  CreateServerlessCache: createServerlessCache,
  DescribeServerlessCaches: describeServerlessCaches,
  DeleteServerlessCache: deleteServerlessCache,
  DescribeEvents: describeEvents,
  DescribeCacheEngineVersions: describeCacheEngineVersions,
  ListAllowedNodeTypeModifications: listAllowedNodeTypeModifications,
  ListTagsForResource: listTagsForResource,
  AddTagsToResource: addTagsToResource,
  RemoveTagsFromResource: removeTagsFromResource,
};
