import { DetailPage, type DetailRouteProps } from "@/components/cluster/detail-page";
import { findServerlessCache } from "@/lib/data/serverless";

export { detailMetadata as generateMetadata } from "@/components/cluster/detail-page";

export default async function ServerlessPage({ params, searchParams }: DetailRouteProps) {
  const { region, id } = await params;
  return <DetailPage segment="serverless" region={region} rawId={id} searchParams={searchParams} find={findServerlessCache} />;
}
