import "server-only";
import type { AuditRecord } from "@/lib/audit/audit-log";
import { followedOperation } from "@/lib/audit/followed-operation";
import { alarmTopicFor } from "@/lib/accounts";
import { alarmsConfig } from "@/lib/env";
import type { SessionUser } from "@/lib/auth/session";
import { can, roleIn, type Role } from "@/lib/auth/permissions";
import { AwsError, type AwsProblem } from "@/lib/aws/errors";
import type { ClusterDetail } from "@/lib/data/model";
import { capacityCard, type CapacityCard } from "@/lib/data/capacity-card";
import { visibleTo } from "@/lib/data/problems";
import { requestTime, resolveTimeWindow } from "@/lib/data/time-range";
import type { Place } from "@/lib/place";
import { detailFeed } from "@/lib/watcher/detail-feed";

// The reads of a cache's page (replication group, cache cluster or serverless cache), in the two steps its route
// takes: whether the cache exists, answered before anything streams so an unknown id is a real 404; then, behind the
// page's skeleton, its detail from the page's shared feed (one read for every viewer), cut to what the viewer's role
// may see.

export type CacheSegment = "clusters" | "serverless";

/** True or false (then the route answers 404), or the AWS problem that kept the cache from being read. */
export async function cacheExists(find: (place: Place, id: string) => Promise<unknown>, place: Place, id: string): Promise<boolean | AwsProblem> {
  try {
    return (await find(place, id)) !== null;
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return error.toProblem("the cluster");
  }
}

/** A person reading one place's cache: their role in its account. */
export type CacheReader = SessionUser & { role: Role };

/** The person as a reader of `place`'s account (their role there), or null when they have no role there. */
export function readerIn(user: SessionUser, place: Place): CacheReader | null {
  const role = roleIn(user, place.account);
  return role !== null && can(role, "fleet.read") ? { ...user, role } : null;
}

export interface CachePageRequest {
  segment: CacheSegment;
  place: Place;
  id: string;
  /** The page's own path, for the operations link. */
  path: string;
  query: Record<string, string>;
  user: CacheReader;
}

export type CachePage =
  | {
      ok: true;
      detail: ClusterDetail;
      /** Why the requested time range was changed, if it was. */
      notice: string | undefined;
      /** The operations page, for a replication group and a role that may use it. */
      operationsHref: string | undefined;
      /** The operation the viewer came from (`?operation=<audit id>`), to follow on the page. */
      followed: AuditRecord | null;
      /** The capacity forecast (and for Redis OSS / Valkey node-based caches, the rightsizing). */
      capacity: CapacityCard | null;
      /** Creating the missing recommended alarms, for a role that may; with the topic they would notify. */
      alarmsOffer: { input: { account: string; region: string; kind: "cluster" | "serverless"; cacheId: string }; topic: string | null } | undefined;
    }
  | { ok: false; problem: AwsProblem };

/** The page's data, or null when the cache is gone (it existed a moment ago: the route answers 404 then). */
export async function loadCachePage({ segment, place, id, path, query, user }: CachePageRequest): Promise<CachePage | null> {
  const { notice } = resolveTimeWindow(query, requestTime());
  let detail: ClusterDetail | null;
  try {
    detail = await detailFeed({ segment, place, id, params: query }).current();
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return { ok: false, problem: error.toProblem("the cluster") };
  }
  if (detail === null) return null;
  const group = detail.summary.kind === "replication-group";
  return {
    ok: true,
    detail: { ...detail, problems: detail.problems.map((p) => visibleTo(user.role, p)) },
    notice,
    // Operations are offered by the viewer's role in this cache's account (each action checks it again).
    operationsHref: group && can(user.role, "cluster.test-failover") ? `${path}/operations` : undefined,
    followed: group ? await followedOperation(user, place, id, query.operation) : null,
    capacity: capacityCard(place, detail.summary.id, detail.summary.kind, `${path}/operations`, user.role),
    alarmsOffer: can(user.role, "alarms.create")
      ? { input: { ...place, kind: segment === "serverless" ? "serverless" : "cluster", cacheId: detail.summary.id }, topic: alarmTopicFor(place, alarmsConfig()) }
      : undefined,
  };
}
