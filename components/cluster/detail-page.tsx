import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { flatParams, withParams, type SearchParams } from "@/components/ui/url";
import { requireSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { followedOperation } from "@/lib/audit/followed-operation";
import { OperationBanner } from "@/components/actions/operation-banner";
import { AwsError } from "@/lib/aws/errors";
import type { ClusterDetail } from "@/lib/data/model";
import { validRoute } from "@/lib/data/route-params";
import { requestTime, resolveTimeWindow, type TimeWindow } from "@/lib/data/time-range";
import { ClusterView } from "./cluster-view";

export type DetailLoader = (region: string, id: string, window: TimeWindow, focus: string | null) => Promise<ClusterDetail | null>;

/** The body shared by the cluster and serverless routes: validate, load, and turn AWS failures into advice. */
export async function DetailPage({ segment, region, rawId, searchParams, load }: { segment: "clusters" | "serverless"; region: string; rawId: string; searchParams: Promise<SearchParams>; load: DetailLoader }) {
  const id = decodeURIComponent(rawId);
  const path = `/${segment}/${region}/${encodeURIComponent(id)}`;
  const query = flatParams(await searchParams);
  const user = await requireSession(withParams(path, query, {}));
  if (!validRoute(region, id)) notFound();
  const now = requestTime();
  const { window, notice } = resolveTimeWindow(query, now);
  let detail: ClusterDetail | null;
  try {
    detail = await load(region, id, window, query.node ?? null);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return (
      <main className="space-y-3">
        <h1 className="text-xl font-semibold">{id}</h1>
        <ProblemPanel problems={[error.toProblem()]} title={`Could not read ${id} from ${region}.`} />
      </main>
    );
  }
  if (!detail) notFound();
  const group = detail.summary.kind === "replication-group";
  const operationsHref = group && can(user.role, "cluster.test-failover") ? `${path}/operations` : undefined;
  const followed = group ? await followedOperation(user, region, id, query.operation) : null;
  const banner = followed ? <OperationBanner record={followed} viewerId={user.id} /> : undefined;
  return <ClusterView detail={detail} path={path} params={query} renderedAt={now} notice={notice} operationsHref={operationsHref} banner={banner} />;
}

export type DetailRouteProps = { params: Promise<{ region: string; id: string }>; searchParams: Promise<SearchParams> };

export async function detailMetadata({ params }: DetailRouteProps): Promise<Metadata> {
  const { region, id } = await params;
  return { title: `${decodeURIComponent(id)} (${region})` };
}
