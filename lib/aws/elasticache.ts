import "server-only";
import {
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCachesCommand,
  ListTagsForResourceCommand,
  type CacheCluster,
  type Event,
  type ReplicationGroup,
  type ServerlessCache,
  type SourceType,
} from "@aws-sdk/client-elasticache";
import { elastiCacheClient } from "./clients";
import { AwsNotFoundError, callAws } from "./errors";
import { drainPages } from "./paging";

export type { CacheCluster, CacheNode, Endpoint, Event, NodeGroup, NodeGroupMember, ReplicationGroup, ServerlessCache } from "@aws-sdk/client-elasticache";

const pageSize = 100;

function context(region: string, operation: string) {
  return { service: "elasticache" as const, region, operation };
}

/** Every replication group in the region, or just `id`; an unknown id throws AwsNotFoundError. */
export function describeReplicationGroups(region: string, id?: string): Promise<ReplicationGroup[]> {
  const client = elastiCacheClient(region);
  return callAws(context(region, "DescribeReplicationGroups"), () =>
    drainPages(async (Marker) => {
      const out = await client.send(
        new DescribeReplicationGroupsCommand({ ReplicationGroupId: id, MaxRecords: pageSize, Marker }),
      );
      return { items: out.ReplicationGroups, next: out.Marker };
    }),
  );
}

export interface CacheClusterFilter {
  id?: string;
  /** Only clusters that belong to no replication group (standalone Redis and Memcached). */
  standaloneOnly?: boolean;
}

/** Cache clusters with their nodes (ShowCacheNodeInfo), paged to the end. */
export function describeCacheClusters(region: string, filter: CacheClusterFilter = {}): Promise<CacheCluster[]> {
  const client = elastiCacheClient(region);
  return callAws(context(region, "DescribeCacheClusters"), () =>
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
    }),
  );
}

export function describeServerlessCaches(region: string, name?: string): Promise<ServerlessCache[]> {
  const client = elastiCacheClient(region);
  return callAws(context(region, "DescribeServerlessCaches"), () =>
    drainPages(async (NextToken) => {
      const out = await client.send(
        new DescribeServerlessCachesCommand({ ServerlessCacheName: name, MaxResults: 50, NextToken }),
      );
      return { items: out.ServerlessCaches, next: out.NextToken };
    }),
  );
}

export interface EventQuery {
  start: Date;
  end: Date;
  sourceType?: SourceType;
  sourceIdentifier?: string;
}

/** ElastiCache keeps 14 days of events; asking for more is refused, so older starts are clamped. */
const eventRetentionMs = 14 * 24 * 3600 * 1000;

export function describeEvents(region: string, query: EventQuery): Promise<Event[]> {
  const client = elastiCacheClient(region);
  const earliest = new Date(query.end.getTime() - eventRetentionMs + 60_000);
  const start = query.start < earliest ? earliest : query.start;
  return callAws(context(region, "DescribeEvents"), () =>
    drainPages(async (Marker) => {
      const out = await client.send(
        new DescribeEventsCommand({
          StartTime: start,
          EndTime: query.end,
          SourceType: query.sourceType,
          SourceIdentifier: query.sourceIdentifier,
          MaxRecords: pageSize,
          Marker,
        }),
      );
      return { items: out.Events, next: out.Marker };
    }),
  );
}

export function listTags(region: string, arn: string): Promise<Record<string, string>> {
  const client = elastiCacheClient(region);
  return callAws(context(region, "ListTagsForResource"), async () => {
    const out = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    return Object.fromEntries((out.TagList ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ""]));
  });
}

export function isNotFound(error: unknown): error is AwsNotFoundError {
  return error instanceof AwsNotFoundError;
}
