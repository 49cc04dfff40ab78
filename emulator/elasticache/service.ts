import type { Operation, ServiceDefinition } from "@/emulator/server/service";
import { OPERATIONS } from "./api";
import { XML_LIST_ITEM_NAMES } from "./api/xml-list-item-names";
import type { ElastiCacheControlPlane } from "./control-plane";

/** ElastiCache (2015-02-02) over awsQuery, its operations (./api) working on `cp`. */
export function elasticacheService(cp: ElastiCacheControlPlane): ServiceDefinition {
  const operations: Record<string, Operation> = {};
  for (const [name, build] of Object.entries(OPERATIONS)) operations[name] = build(cp);
  return {
    signingName: "elasticache",
    version: "2015-02-02",
    xmlNamespace: "http://elasticache.amazonaws.com/doc/2015-02-02/",
    xmlListItemNames: XML_LIST_ITEM_NAMES,
    operations,
  };
}
