import type { Operation, ServiceDefinition } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "./control-plane";
import { OPERATION_SETS, type OperationSet } from "./operations";
import { XML_LIST_ITEM_NAMES } from "./xml-list-item-names";

export function elasticacheService(cp: ElastiCacheControlPlane, extraOperationSets: readonly OperationSet[] = []): ServiceDefinition {
  const operations: Record<string, Operation> = {};
  for (const set of [...OPERATION_SETS, ...extraOperationSets]) {
    for (const [name, operation] of Object.entries(set(cp))) {
      if (operations[name]) throw new Error(`ElastiCache operation ${name} is defined twice`);
      operations[name] = operation;
    }
  }
  return {
    signingName: "elasticache",
    version: "2015-02-02",
    xmlNamespace: "http://elasticache.amazonaws.com/doc/2015-02-02/",
    xmlListItemNames: XML_LIST_ITEM_NAMES,
    operations,
  };
}
