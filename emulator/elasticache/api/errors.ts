import { ApiError } from "@/emulator/server/api-error";

// ElastiCache's modelled errors: shape name → [wire code, HTTP status], as botocore's service-2.json declares them
// (the code is not always the shape name). A unit test checks this table against the model when botocore is installed.
export const FAULTS = {
  CacheClusterAlreadyExistsFault: ["CacheClusterAlreadyExists", 400],
  CacheClusterNotFoundFault: ["CacheClusterNotFound", 404],
  CacheParameterGroupAlreadyExistsFault: ["CacheParameterGroupAlreadyExists", 400],
  CacheParameterGroupNotFoundFault: ["CacheParameterGroupNotFound", 404],
  CacheParameterGroupQuotaExceededFault: ["CacheParameterGroupQuotaExceeded", 400],
  CacheSubnetGroupAlreadyExistsFault: ["CacheSubnetGroupAlreadyExists", 400],
  CacheSubnetGroupInUse: ["CacheSubnetGroupInUse", 400],
  CacheSubnetGroupNotFoundFault: ["CacheSubnetGroupNotFoundFault", 400],
  CacheSubnetGroupQuotaExceededFault: ["CacheSubnetGroupQuotaExceeded", 400],
  CacheSubnetQuotaExceededFault: ["CacheSubnetQuotaExceededFault", 400],
  ClusterQuotaForCustomerExceededFault: ["ClusterQuotaForCustomerExceeded", 400],
  InsufficientCacheClusterCapacityFault: ["InsufficientCacheClusterCapacity", 400],
  InvalidARNFault: ["InvalidARN", 400],
  InvalidCacheClusterStateFault: ["InvalidCacheClusterState", 400],
  InvalidCacheParameterGroupStateFault: ["InvalidCacheParameterGroupState", 400],
  InvalidParameterCombinationException: ["InvalidParameterCombination", 400],
  InvalidParameterValueException: ["InvalidParameterValue", 400],
  InvalidReplicationGroupStateFault: ["InvalidReplicationGroupState", 400],
  InvalidSubnet: ["InvalidSubnet", 400],
  InvalidServerlessCacheStateFault: ["InvalidServerlessCacheStateFault", 400],
  NodeGroupNotFoundFault: ["NodeGroupNotFoundFault", 404],
  NodeGroupsPerReplicationGroupQuotaExceededFault: ["NodeGroupsPerReplicationGroupQuotaExceeded", 400],
  NodeQuotaForClusterExceededFault: ["NodeQuotaForClusterExceeded", 400],
  NodeQuotaForCustomerExceededFault: ["NodeQuotaForCustomerExceeded", 400],
  NoOperationFault: ["NoOperationFault", 400],
  ReplicationGroupAlreadyExistsFault: ["ReplicationGroupAlreadyExists", 400],
  ReplicationGroupNotFoundFault: ["ReplicationGroupNotFoundFault", 404],
  ServerlessCacheAlreadyExistsFault: ["ServerlessCacheAlreadyExistsFault", 400],
  ServerlessCacheNotFoundFault: ["ServerlessCacheNotFoundFault", 404],
  ServerlessCacheQuotaForCustomerExceededFault: ["ServerlessCacheQuotaForCustomerExceededFault", 400],
  TagNotFoundFault: ["TagNotFound", 404],
  TagQuotaPerResourceExceeded: ["TagQuotaPerResourceExceeded", 400],
  TestFailoverNotAvailableFault: ["TestFailoverNotAvailableFault", 400],
  APICallRateForCustomerExceededFault: ["APICallRateForCustomerExceeded", 400],
} as const satisfies Record<string, readonly [string, number]>;

export type FaultShape = keyof typeof FAULTS;

export function fault(shape: FaultShape, message: string): ApiError {
  const [code, status] = FAULTS[shape];
  return new ApiError(code, message, status, "Sender", shape);
}

export const invalidValue = (message: string) => fault("InvalidParameterValueException", message);
export const invalidCombination = (message: string) => fault("InvalidParameterCombinationException", message);

export const replicationGroupNotFound = (id: string) =>
  fault("ReplicationGroupNotFoundFault", `Replication group ${id} not found.`);
export const cacheClusterNotFound = (id: string) => fault("CacheClusterNotFoundFault", `CacheCluster not found: ${id}`);
export const cacheSubnetGroupNotFound = (name: string) =>
  fault("CacheSubnetGroupNotFoundFault", `Cache subnet group ${name} not found.`);
export const serverlessCacheNotFound = (name: string) =>
  fault("ServerlessCacheNotFoundFault", `Serverless cache ${name} not found.`);
export const cacheParameterGroupNotFound = (name: string) =>
  fault("CacheParameterGroupNotFoundFault", `CacheParameterGroup ${name} not found.`);
