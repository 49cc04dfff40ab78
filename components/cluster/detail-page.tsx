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
import { validRoute } from "@/lib/data/route-params";
import { requestTime, resolveTimeWindow, type TimeWindow } from "@/lib/data/time-range";
import { ClusterLoading } from "./cluster-loading";
import { ClusterView } from "./cluster-view";

export interface DetailSource<Found> {
  /** Decides whether the page exists; its answer is what `load` reads the rest from, so no AWS call is repeated. */
  find: (region: string, id: string) => Promise<Found | null>;
  load: (region: string, found: Found, window: TimeWindow, focus: string | null) => Promise<ClusterDetail>;
}

interface DetailProps<Found> {
  segment: "clusters" | "serverless";
  region: string;
  rawId: string;
  searchParams: Promise<SearchParams>;
  source: DetailSource<Found>;
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
 * id is answered 404 before anything streams; the slower metrics and events load behind the skeleton.
 */
export async function DetailPage<Found>({ segment, region, rawId, searchParams, source }: DetailProps<Found>) {
  const id = decodeURIComponent(rawId);
  const path = `/${segment}/${region}/${encodeURIComponent(id)}`;
  const query = flatParams(await searchParams);
  const user = await requireSession(withParams(path, query, {}));
  if (!validRoute(region, id)) notFound();
  let found: Found | null;
  try {
    found = await source.find(region, id);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return <AwsProblem id={id} region={region} error={error} role={user.role} />;
  }
  if (found === null) notFound();
  return (
    <Suspense fallback={<ClusterLoading />}>
      <DetailBody region={region} id={id} path={path} query={query} user={user} found={found} load={source.load} />
    </Suspense>
  );
}

async function DetailBody<Found>({ region, id, path, query, user, found, load }: { region: string; id: string; path: string; query: Record<string, string>; user: SessionUser; found: Found; load: DetailSource<Found>["load"] }) {
  const now = requestTime();
  const { window, notice } = resolveTimeWindow(query, now);
  let detail: ClusterDetail;
  try {
    detail = await load(region, found, window, query.node ?? null);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return <AwsProblem id={id} region={region} error={error} role={user.role} />;
  }
  const group = detail.summary.kind === "replication-group";
  const operationsHref = group && can(user.role, "cluster.test-failover") ? `${path}/operations` : undefined;
  const followed = group ? await followedOperation(user, region, id, query.operation) : null;
  const banner = followed ? <OperationBanner record={followed} viewerId={user.id} /> : undefined;
  return <ClusterView detail={detail} role={user.role} path={path} params={query} renderedAt={now} notice={notice} operationsHref={operationsHref} banner={banner} />;
}

export type DetailRouteProps = { params: Promise<{ region: string; id: string }>; searchParams: Promise<SearchParams> };

export async function detailMetadata({ params }: DetailRouteProps): Promise<Metadata> {
  const { region, id } = await params;
  return { title: `${decodeURIComponent(id)} (${region})` };
}
