// XML element names of list items in ElastiCache responses, by member name, from botocore's model (lists not named
// here use "member"). The names are per member, not per shape, which holds for every list the emulator renders;
// tests/unit/elasticache-model.test.ts checks this table against the model.
export const XML_LIST_ITEM_NAMES: Readonly<Record<string, string>> = {
  CacheClusters: "CacheCluster",
  CacheEngineVersions: "CacheEngineVersion",
  CacheNodeIdsToReboot: "CacheNodeId",
  CacheNodeIdsToRemove: "CacheNodeId",
  CacheNodes: "CacheNode",
  CacheNodeTypeSpecificParameters: "CacheNodeTypeSpecificParameter",
  CacheNodeTypeSpecificValues: "CacheNodeTypeSpecificValue",
  CacheParameterGroups: "CacheParameterGroup",
  CacheSecurityGroups: "CacheSecurityGroup",
  CacheSubnetGroups: "CacheSubnetGroup",
  Events: "Event",
  // Also the name of a pending-modification list whose items are "member"; the emulator renders that one empty.
  LogDeliveryConfigurations: "LogDeliveryConfiguration",
  MemberClusters: "ClusterId",
  MemberClustersOutpostArns: "ReplicationGroupOutpostArn",
  NodeGroupMembers: "NodeGroupMember",
  NodeGroups: "NodeGroup",
  Parameters: "Parameter",
  RecurringCharges: "RecurringCharge",
  ReplicationGroups: "ReplicationGroup",
  ReservedCacheNodes: "ReservedCacheNode",
  SecurityGroupIds: "SecurityGroupId",
  SubnetIds: "SubnetId",
  Subnets: "Subnet",
  TagList: "Tag",
};
