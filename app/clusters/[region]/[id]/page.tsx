import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { CachePageView, CacheReadProblem } from "@/components/cluster/cache-page-view";
import { ClusterLoading } from "@/components/cluster/cluster-loading";
import { flatParams, withParams, type SearchParams } from "@/components/ui/url";
import { requireSession } from "@/lib/auth/session";
import { cacheExists, loadCachePage } from "@/lib/data/cache-page";
import { validRoute } from "@/lib/data/route-params";
import { findWatchedCluster } from "@/lib/watcher/find";

type Props = { params: Promise<{ region: string; id: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { region, id } = await params;
  return { title: `${decodeURIComponent(id)} (${region})` };
}

// The lookup runs before the Suspense boundary, so an unknown id is answered 404 before anything streams.
export default async function ClusterPage({ params, searchParams }: Props) {
  const { region, id: rawId } = await params;
  const id = decodeURIComponent(rawId);
  const path = `/clusters/${region}/${encodeURIComponent(id)}`;
  const query = flatParams(await searchParams);
  const user = await requireSession(withParams(path, query, {}));
  if (!validRoute(region, id)) notFound();
  const exists = await cacheExists(findWatchedCluster, region, id);
  if (exists === false) notFound();
  if (exists !== true) return <CacheReadProblem id={id} region={region} problem={exists} role={user.role} />;
  const page = loadCachePage({ segment: "clusters", region, id, path, query, user }).then((loaded) => loaded ?? notFound());
  return (
    <Suspense fallback={<ClusterLoading />}>
      <CachePageView page={page} segment="clusters" region={region} id={id} path={path} query={query} viewer={user} />
    </Suspense>
  );
}
