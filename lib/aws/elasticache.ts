import "server-only";
import {
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCachesCommand,
  ListAllowedNodeTypeModificationsCommand,
  ListTagsForResourceCommand,
  type SourceType,
} from "@aws-sdk/client-elasticache";
import type { Place } from "@/lib/place";
import { elastiCacheClient } from "./clients";
import { AwsNotFoundError, callAws } from "./errors";
import type { Cache, CacheEvent } from "./model";
import { drainPages } from "./paging";
import { fromCacheCluster, fromEvent, fromReplicationGroup, fromServerlessCache } from "./translate";

// The ElastiCache reads. Every answer leaves here translated into CacheDeck's model (lib/aws/model.ts).

const pageSize = 100;

/** How a whole-region read pages: `between` is awaited before each page after the first (see drainPages). */
export interface Paging {
  between?: () => Promise<void>;
}

function context(place: Place, operation: string) {
  return { service: "elasticache" as const, ...place, operation };
}

/**
 * Every replication group in the region, or just `id`; an unknown id throws AwsNotFoundError. Member statuses are
 * not in this answer: join DescribeCacheClusters' with withMembers.
 */
export async function describeReplicationGroups(place: Place, id?: string, paging: Paging = {}): Promise<Cache[]> {
  const client = elastiCacheClient(place);
  const groups = await callAws(context(place, "DescribeReplicationGroups"), () =>
    drainPages(async (Marker) => {
      const out = await client.send(
        new DescribeReplicationGroupsCommand({ ReplicationGroupId: id, MaxRecords: pageSize, Marker }),
      );
      return { items: out.ReplicationGroups, next: out.Marker };
    }, paging.between),
  );
  return groups.map(fromReplicationGroup);
}

export interface CacheClusterFilter {
  id?: string;
  /** Only clusters that belong to no replication group (standalone Redis and Memcached). */
  standaloneOnly?: boolean;
}

/** Cache clusters with their nodes (ShowCacheNodeInfo), paged to the end. */
export async function describeCacheClusters(place: Place, filter: CacheClusterFilter = {}, paging: Paging = {}): Promise<Cache[]> {
  const client = elastiCacheClient(place);
  const clusters = await callAws(context(place, "DescribeCacheClusters"), () =>
    drainPages(async (Marker) => {
      const out = await client.send(
        new DescribeCacheClustersCommand({
          CacheClusterId: filter.id,
          ShowCacheNodeInfo: true,
          ShowCacheClustersNotInReplicationGroups: filter.standaloneOnly,
          MaxRecords: pageSize,
          Marker,
        }),
      );
      return { items: out.CacheClusters, next: out.Marker };
    }, paging.between),
  );
  return clusters.map(fromCacheCluster);
}

export async function describeServerlessCaches(place: Place, name?: string): Promise<Cache[]> {
  const client = elastiCacheClient(place);
  const caches = await callAws(context(place, "DescribeServerlessCaches"), () =>
    drainPages(async (NextToken) => {
      const out = await client.send(
        new DescribeServerlessCachesCommand({ ServerlessCacheName: name, MaxResults: 50, NextToken }),
      );
      return { items: out.ServerlessCaches, next: out.NextToken };
    }),
  );
  return caches.map(fromServerlessCache);
}

export interface EventQuery {
  start: Date;
  end: Date;
  sourceType?: "replication-group" | "cache-cluster" | "serverless-cache";
  sourceIdentifier?: string;
  /** Only the newest page (100 events): a first look at a region needs what happened lately, not the whole window. */
  newestPageOnly?: boolean;
  /**
   * Asked after each page (newest first): true ends the paging, since the caller already knows the older events —
   * a poll that pages back through a burst it has already seen would repeat every page of it on every poll.
   */
  olderKnown?: (page: CacheEvent[]) => boolean;
}

/** ElastiCache keeps 14 days of events; asking for more is refused, so older starts are clamped. */
const eventRetentionMs = 14 * 24 * 3600 * 1000;

/** The region's events (or one source's), newest first as ElastiCache answers. */
export async function describeEvents(place: Place, query: EventQuery): Promise<CacheEvent[]> {
  const client = elastiCacheClient(place);
  const earliest = new Date(query.end.getTime() - eventRetentionMs + 60_000);
  const start = query.start < earliest ? earliest : query.start;
  const events = await callAws(context(place, "DescribeEvents"), () =>
    drainPages(async (Marker) => {
      const out = await client.send(
        new DescribeEventsCommand({
          StartTime: start,
          EndTime: query.end,
          SourceType: query.sourceType as SourceType | undefined,
          SourceIdentifier: query.sourceIdentifier,
          MaxRecords: pageSize,
          Marker,
        }),
      );
      const page = (out.Events ?? []).map(fromEvent);
      return { items: page, next: query.newestPageOnly || query.olderKnown?.(page) ? undefined : out.Marker };
    }),
  );
  return events;
}

export function listTags(place: Place, arn: string): Promise<Record<string, string>> {
  const client = elastiCacheClient(place);
  return callAws(context(place, "ListTagsForResource"), async () => {
    const out = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    return Object.fromEntries((out.TagList ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ""]));
  });
}

/** Node types the group can scale up and down to, as AWS lists them. */
export function listAllowedNodeTypeModifications(place: Place, replicationGroupId: string): Promise<{ scaleUp: string[]; scaleDown: string[] }> {
  return callAws(context(place, "ListAllowedNodeTypeModifications"), async () => {
    const output = await elastiCacheClient(place).send(new ListAllowedNodeTypeModificationsCommand({ ReplicationGroupId: replicationGroupId }));
    return { scaleUp: output.ScaleUpModifications ?? [], scaleDown: output.ScaleDownModifications ?? [] };
  });
}

export function isNotFound(error: unknown): error is AwsNotFoundError {
  return error instanceof AwsNotFoundError;
}
