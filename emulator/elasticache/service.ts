import type { Operation, ServiceDefinition } from "@/emulator/server/service";
import { OPERATIONS } from "./api";
import { XML_LIST_ITEM_NAMES } from "./api/xml-list-item-names";
import type { ElastiCacheControlPlane } from "./control-plane";
import { describeReservedCacheNodes, ReservedNodeBook } from "./reserved-nodes";

/** ElastiCache (2015-02-02) over awsQuery, its operations (./api) working on `cp`, and the account's reserved nodes. */
export function elasticacheService(cp: ElastiCacheControlPlane, reserved = new ReservedNodeBook([], new Date())): ServiceDefinition {
  const operations: Record<string, Operation> = {};
  for (const [name, build] of Object.entries(OPERATIONS)) operations[name] = build(cp);
  operations.DescribeReservedCacheNodes = describeReservedCacheNodes(cp, reserved);
  return {
    signingName: "elasticache",
    version: "2015-02-02",
    xmlNamespace: "http://elasticache.amazonaws.com/doc/2015-02-02/",
    xmlListItemNames: XML_LIST_ITEM_NAMES,
    operations,
  };
}
