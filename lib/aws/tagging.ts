import "server-only";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import type { Place } from "@/lib/place";
import { taggingClient } from "./clients";
import { callAws } from "./errors";
import { drainPages } from "./paging";

/** The ElastiCache resource types whose tags the fleet shows. */
const resourceTypes = ["elasticache:replicationgroup", "elasticache:cluster", "elasticache:serverlesscache"];

/**
 * Tags of every ElastiCache resource in the region by ARN, in one paged GetResources (100 resources a page). Resources
 * without tags may be left out by AWS, so a missing ARN means "no tags".
 */
export function getRegionTags(place: Place): Promise<Map<string, Record<string, string>>> {
  const client = taggingClient(place);
  return callAws({ service: "tagging", ...place, operation: "GetResources" }, async () => {
    const mappings = await drainPages(async (PaginationToken) => {
      const out = await client.send(new GetResourcesCommand({ ResourceTypeFilters: resourceTypes, ResourcesPerPage: 100, PaginationToken }));
      return { items: out.ResourceTagMappingList, next: out.PaginationToken || undefined };
    });
    return new Map(
      mappings.flatMap((m) =>
        m.ResourceARN ? [[m.ResourceARN, Object.fromEntries((m.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ""]))] as const] : [],
      ),
    );
  });
}
