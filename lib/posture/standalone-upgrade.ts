// A standalone Redis OSS cache cluster (no replication group) is outside CacheDeck's engine upgrade, which runs
// ModifyReplicationGroup. AWS upgrades it in two other ways, spelled out here for the posture panel and the operations
// page: a newer Redis OSS with ModifyCacheCluster (its one node is replaced, so the cache is down meanwhile), and
// Valkey only once the cluster is the primary of a replication group ("To upgrade an existing Redis OSS (cluster mode
// disabled) single-node cluster to Valkey, first create a replication group using the existing cluster"), AWS
// ElastiCache User Guide, "Upgrading engine versions including cross engine upgrades".

export interface StandaloneUpgradeStep {
  what: string;
  cli: string;
}

export function standaloneUpgradeSteps(id: string, redisTarget = "7.1"): StandaloneUpgradeStep[] {
  return [
    {
      what: `To Valkey: first make ${id} the primary of a replication group (it keeps its data and endpoint), then upgrade that group from its operations page.`,
      cli: `aws elasticache create-replication-group --replication-group-id ${id}-rg --replication-group-description "${id}" --primary-cluster-id ${id}`,
    },
    {
      what: `To a newer Redis OSS, in place: modify the cluster; its single node is replaced, so ${id} is unavailable while that happens.`,
      cli: `aws elasticache modify-cache-cluster --cache-cluster-id ${id} --engine-version ${redisTarget} --apply-immediately`,
    },
  ];
}
