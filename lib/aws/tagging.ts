import "server-only";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import type { Place } from "@/lib/place";
import { taggingClient } from "./clients";
import { callAws } from "./errors";
import { drainPages } from "./paging";

/** The ElastiCache resource types whose tags the fleet shows. */
const resourceTypes = ["elasticache:replicationgroup", "elasticache:cluster", "elasticache:serverlesscache"];

export type ResourceTags = [arn: string, tags: Record<string, string>];

/** One page (100 resources) of the region's ElastiCache tags, and the token of the next page if there is one. */
export function getTagsPage(place: Place, token: string | undefined): Promise<{ tags: ResourceTags[]; next: string | undefined }> {
  const client = taggingClient(place);
  return callAws({ service: "tagging", ...place, operation: "GetResources" }, async () => {
    const out = await client.send(new GetResourcesCommand({ ResourceTypeFilters: resourceTypes, ResourcesPerPage: 100, PaginationToken: token }));
    const tags = (out.ResourceTagMappingList ?? []).flatMap((m): ResourceTags[] =>
      m.ResourceARN ? [[m.ResourceARN, Object.fromEntries((m.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ""]))]] : [],
    );
    return { tags, next: out.PaginationToken || undefined };
  });
}

/**
 * Tags of every ElastiCache resource in the region by ARN, in one paged GetResources. Resources without tags may be
 * left out by AWS, so a missing ARN means "no tags".
 */
export async function getRegionTags(place: Place): Promise<Map<string, Record<string, string>>> {
  return new Map(await drainPages(async (token) => getTagsPage(place, token).then(({ tags, next }) => ({ items: tags, next }))));
}
