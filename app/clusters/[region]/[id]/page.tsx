import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { Suspense } from "react";
import { CachePageView, CacheReadProblem } from "@/components/cluster/cache-page-view";
import { ClusterLoading } from "@/components/cluster/cluster-loading";
import { flatParams, withParams, type SearchParams } from "@/components/ui/url";
import { requireSession } from "@/lib/auth/session";
import { cacheExists, loadCachePage, readerIn } from "@/lib/data/cache-page";
import { NotAllowed } from "@/components/drills/not-allowed";
import { routePlace, validId } from "@/lib/data/route-params";
import { placeLabel } from "@/lib/place";
import { findWatchedCluster } from "@/lib/watcher/find";

/** `region` is the account-qualified region segment: "staging~us-east-1", or a bare region (lib/place.ts). */
type Props = { params: Promise<{ region: string; id: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { region, id } = await params;
  const place = routePlace(region)?.place;
  return { title: `${decodeURIComponent(id)} (${place ? placeLabel(place) : region})` };
}

// The lookup runs before the Suspense boundary, so an unknown id is answered 404 before anything streams.
export default async function ClusterPage({ params, searchParams }: Props) {
  const { region: segment, id: rawId } = await params;
  const id = decodeURIComponent(rawId);
  const route = routePlace(segment);
  const path = `/clusters/${route?.canonical ?? segment}/${encodeURIComponent(id)}`;
  const query = flatParams(await searchParams);
  const user = await requireSession(withParams(path, query, {}));
  if (!route || !validId(id)) notFound();
  // An old single-account URL (a bare region) leads to the default account's page.
  if (route.moved) redirect(withParams(path, query, {}));
  const { place } = route;
  // Someone with no role in this account is refused before anything is read from it.
  const reader = readerIn(user, place);
  if (!reader) return <NotAllowed role={`none in account ${place.account}`} what="its caches" />;
  const exists = await cacheExists(findWatchedCluster, place, id);
  if (exists === false) notFound();
  if (exists !== true) return <CacheReadProblem id={id} place={place} problem={exists} role={reader.role} />;
  const page = loadCachePage({ segment: "clusters", place, id, path, query, user: reader }).then((loaded) => loaded ?? notFound());
  return (
    <Suspense fallback={<ClusterLoading />}>
      <CachePageView page={page} segment="clusters" place={place} id={id} path={path} query={query} viewer={reader} />
    </Suspense>
  );
}
