import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { flatParams, withParams, type SearchParams } from "@/components/ui/url";
import { requireSession, type SessionUser } from "@/lib/auth/session";
import { can, type Role } from "@/lib/auth/permissions";
import { followedOperation } from "@/lib/audit/followed-operation";
import { OperationBanner } from "@/components/actions/operation-banner";
import { AwsError } from "@/lib/aws/errors";
import type { ClusterDetail } from "@/lib/data/model";
import { visibleTo } from "@/lib/data/problems";
import { validRoute } from "@/lib/data/route-params";
import { requestTime, resolveTimeWindow } from "@/lib/data/time-range";
import { detailFeed } from "@/lib/watcher/detail-feed";
import { ClusterLoading } from "./cluster-loading";
import { LiveClusterView } from "./live-cluster-view";

interface DetailProps {
  segment: "clusters" | "serverless";
  region: string;
  rawId: string;
  searchParams: Promise<SearchParams>;
  /** Decides whether the page exists (from the region's watcher when it knows the cache). */
  find: (region: string, id: string) => Promise<unknown>;
}

function AwsProblem({ id, region, error, role }: { id: string; region: string; error: AwsError; role: Role }) {
  return (
    <main className="space-y-3">
      <h1 className="text-xl font-semibold">{id}</h1>
      <ProblemPanel problems={[error.toProblem("the cluster")]} role={role} title={`Could not read ${id} from ${region}.`} />
    </main>
  );
}

/**
 * The body shared by the cluster and serverless routes. The lookup runs before the Suspense boundary, so an unknown
 * id is answered 404 before anything streams; the detail comes from the page's shared feed (one read for every
 * viewer) behind the skeleton, and the push stream keeps it live.
 */
export async function DetailPage({ segment, region, rawId, searchParams, find }: DetailProps) {
  const id = decodeURIComponent(rawId);
  const path = `/${segment}/${region}/${encodeURIComponent(id)}`;
  const query = flatParams(await searchParams);
  const user = await requireSession(withParams(path, query, {}));
  if (!validRoute(region, id)) notFound();
  let found: unknown;
  try {
    found = await find(region, id);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return <AwsProblem id={id} region={region} error={error} role={user.role} />;
  }
  if (found === null) notFound();
  return (
    <Suspense fallback={<ClusterLoading />}>
      <DetailBody segment={segment} region={region} id={id} path={path} query={query} user={user} />
    </Suspense>
  );
}

async function DetailBody({ segment, region, id, path, query, user }: { segment: DetailProps["segment"]; region: string; id: string; path: string; query: Record<string, string>; user: SessionUser }) {
  const { notice } = resolveTimeWindow(query, requestTime());
  let detail: ClusterDetail | null;
  try {
    detail = await detailFeed({ segment, region, id, params: query }).current();
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return <AwsProblem id={id} region={region} error={error} role={user.role} />;
  }
  if (detail === null) notFound();
  const group = detail.summary.kind === "replication-group";
  const operationsHref = group && can(user.role, "cluster.test-failover") ? `${path}/operations` : undefined;
  const followed = group ? await followedOperation(user, region, id, query.operation) : null;
  const banner = followed ? <OperationBanner record={followed} viewerId={user.id} /> : undefined;
  return (
    <LiveClusterView
      segment={segment}
      region={region}
      id={id}
      detail={{ ...detail, problems: detail.problems.map((p) => visibleTo(user.role, p)) }}
      path={path}
      params={query}
      renderedAt={detail.window.end}
      notice={notice}
      operationsHref={operationsHref}
      banner={banner}
    />
  );
}

export type DetailRouteProps = { params: Promise<{ region: string; id: string }>; searchParams: Promise<SearchParams> };

export async function detailMetadata({ params }: DetailRouteProps): Promise<Metadata> {
  const { region, id } = await params;
  return { title: `${decodeURIComponent(id)} (${region})` };
}
