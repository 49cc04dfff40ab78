import { z } from "zod";
import type { ElastiCacheControlPlane } from "../elasticache/control-plane";
import { parseArn } from "../elasticache/state/arns";
import type { RegionState } from "../elasticache/state/model";
import { ApiError } from "../server/api-error";
import { parseInput } from "../server/input";
import type { Operation } from "../server/service";
import { decodeToken, encodeToken, fingerprint } from "../cloudwatch/paging-token";

// Resource Groups Tagging API GetResources over the emulator's one taggable service, ElastiCache: every tagged
// replication group, cluster (members of a group are clusters too, as on AWS) and serverless cache of the caller's
// region, with its tags, in one paged call instead of one ListTagsForResource per resource.

const MAX_RESOURCES_PER_PAGE = 100;
/** AWS does not document a default page size; the emulator answers as many as it may. */
const DEFAULT_RESOURCES_PER_PAGE = MAX_RESOURCES_PER_PAGE;
/** AWS: "A PaginationToken is valid for a maximum of 15 minutes." */
const TOKEN_LIFETIME_MS = 15 * 60_000;

const invalid = (message: string) => new ApiError("InvalidParameterException", message, 400);

const inputSchema = z.object({
  PaginationToken: z.string().optional(),
  TagFilters: z
    .array(z.object({ Key: z.string().min(1).max(128), Values: z.array(z.string().max(256)).max(20).optional() }))
    .max(50)
    .optional(),
  ResourcesPerPage: z.number().int().min(1).max(MAX_RESOURCES_PER_PAGE).optional(),
  TagsPerPage: z.number().int().min(100).max(500).optional(),
  ResourceTypeFilters: z
    .array(z.string().regex(/^[a-z0-9-]+(:[A-Za-z0-9-]+)?$/, "resource types look like service[:resourceType], e.g. elasticache:replicationgroup"))
    .max(100)
    .optional(),
  IncludeComplianceDetails: z.boolean().optional(),
  ExcludeCompliantResources: z.boolean().optional(),
  ResourceARNList: z.array(z.string()).min(1).max(100).optional(),
});
type Input = z.output<typeof inputSchema>;

interface Tagged {
  arn: string;
  tags: Array<{ Key: string; Value: string }>;
}

/** The Tagging API reports every bad parameter as InvalidParameterException (ElastiCache says InvalidParameterValue). */
function parseTaggingInput(raw: unknown): Input {
  try {
    return parseInput(inputSchema, raw);
  } catch (error) {
    throw error instanceof ApiError ? invalid(error.message) : error;
  }
}

function checkCombinations(input: Input): void {
  if (input.ResourceARNList) {
    const clash = (["TagFilters", "ResourceTypeFilters", "ResourcesPerPage", "TagsPerPage", "PaginationToken"] as const).find((k) => input[k] !== undefined);
    if (clash) throw invalid(`You can't specify both ResourceARNList and ${clash} in the same request.`);
  }
  if (input.ExcludeCompliantResources && !input.IncludeComplianceDetails) {
    throw invalid("ExcludeCompliantResources can be used only when IncludeComplianceDetails is true.");
  }
}

/** "elasticache" selects every ElastiCache resource, "elasticache:cluster" only clusters; other services have none here. */
function matchesType(arn: string, filters: string[] | undefined): boolean {
  if (!filters || filters.length === 0) return true;
  const type = parseArn(arn)?.type;
  return filters.some((f) => {
    const [service, resourceType] = f.split(":");
    return service === "elasticache" && (resourceType === undefined || resourceType === type);
  });
}

/** Every filter must match (AND); within a filter any of its values (OR); a filter without values wants the key only. */
function matchesTags(tags: Tagged["tags"], filters: Input["TagFilters"]): boolean {
  return (filters ?? []).every((f) => tags.some((t) => t.Key === f.Key && (!f.Values || f.Values.length === 0 || f.Values.includes(t.Value))));
}

/** A page that never splits a resource's tags: at most `resources` resources and (when set) `tags` tags, an untagged resource counting one. */
function pageEnd(items: Tagged[], resources: number, tags: number | undefined): number {
  let end = 0;
  let tagCount = 0;
  while (end < items.length && end < resources) {
    const weight = Math.max(1, items[end].tags.length);
    if (tags !== undefined && end > 0 && tagCount + weight > tags) break;
    tagCount += weight;
    end++;
  }
  return end;
}

/** Where the tags live: the control plane's metadata (narrowed, so a test can hand it a bare store). */
export type TagSource = { store: Pick<ElastiCacheControlPlane["store"], "regionNames">; regionState(region: string): RegionState };

export function getResources(cp: TagSource, now: () => number = Date.now): Operation {
  return async (raw, ctx) => {
    const input = parseTaggingInput(raw);
    checkCombinations(input);
    const known = cp.store.regionNames().includes(ctx.region);
    const all: Tagged[] = Object.entries(known ? cp.regionState(ctx.region).tags : {})
      .map(([arn, tags]) => ({ arn, tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) }))
      .sort((a, b) => (a.arn < b.arn ? -1 : 1));
    const wanted = input.ResourceARNList ? new Set(input.ResourceARNList) : undefined;
    const selected = all.filter(
      (r) => (!wanted || wanted.has(r.arn)) && matchesType(r.arn, input.ResourceTypeFilters) && matchesTags(r.tags, input.TagFilters),
    );
    // Every resource here complies: the emulator has no tag policies.
    if (input.ExcludeCompliantResources) return { ResourceTagMappingList: [], PaginationToken: "" };

    const { PaginationToken, ...request } = input;
    const requestFingerprint = fingerprint(request);
    let rest = selected;
    if (PaginationToken) {
      let position: string;
      try {
        position = decodeToken<string>(PaginationToken, requestFingerprint, "string");
      } catch {
        throw invalid(`The PaginationToken ${PaginationToken} is not valid for this request.`);
      }
      const [issued, after] = [Number(position.slice(0, position.indexOf("|"))), position.slice(position.indexOf("|") + 1)];
      if (now() - issued > TOKEN_LIFETIME_MS) throw new ApiError("PaginationTokenExpiredException", "The PaginationToken has expired; start again without it.", 400);
      rest = selected.filter((r) => r.arn > after);
    }
    const end = pageEnd(rest, input.ResourcesPerPage ?? DEFAULT_RESOURCES_PER_PAGE, input.TagsPerPage);
    const page = rest.slice(0, end);
    return {
      // AWS answers an empty string, not an absent member, on the last page.
      PaginationToken: end < rest.length ? encodeToken(`${now()}|${page[page.length - 1].arn}`, requestFingerprint) : "",
      ResourceTagMappingList: page.map((r) => ({
        ResourceARN: r.arn,
        Tags: r.tags,
        ...(input.IncludeComplianceDetails ? { ComplianceDetails: { NoncompliantKeys: [], KeysWithNoncompliantValues: [], ComplianceStatus: true } } : {}),
      })),
    };
  };
}
