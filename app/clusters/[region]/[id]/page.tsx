import { DetailPage, type DetailRouteProps } from "@/components/cluster/detail-page";
import { findWatchedCluster } from "@/lib/watcher/find";

export { detailMetadata as generateMetadata } from "@/components/cluster/detail-page";

export default async function ClusterPage({ params, searchParams }: DetailRouteProps) {
  const { region, id } = await params;
  return <DetailPage segment="clusters" region={region} rawId={id} searchParams={searchParams} find={findWatchedCluster} />;
}
