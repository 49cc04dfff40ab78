import { OperationBanner } from "@/components/actions/operation-banner";
import { ProblemPanel } from "@/components/ui/problem-panel";
import type { Role } from "@/lib/auth/permissions";
import type { AwsProblem } from "@/lib/aws/errors";
import type { CachePage, CacheSegment } from "@/lib/data/cache-page";
import { packDetail } from "@/lib/data/chart-wire";
import { placeLabel, type Place } from "@/lib/place";
import { CapacityCard } from "./capacity-card";
import { LiveClusterView } from "./live-cluster-view";

/** A cache whose AWS read failed: what failed, where, and (by role) what to do. */
export function CacheReadProblem({ id, place, problem, role }: { id: string; place: Place; problem: AwsProblem; role: Role }) {
  return (
    <main className="space-y-3">
      <h1 className="text-xl font-semibold">{id}</h1>
      <ProblemPanel problems={[problem]} role={role} title={`Could not read ${id} from ${placeLabel(place)}.`} />
    </main>
  );
}

interface Props {
  /** The page's data as the route started reading it; this renders behind the route's Suspense skeleton. */
  page: Promise<CachePage>;
  segment: CacheSegment;
  place: Place;
  id: string;
  path: string;
  query: Record<string, string>;
  viewer: { id: string; role: Role };
}

/** A cache's page, kept live by its push stream once rendered. */
export async function CachePageView({ page, segment, place, id, path, query, viewer }: Props) {
  const loaded = await page;
  if (!loaded.ok) return <CacheReadProblem id={id} place={place} problem={loaded.problem} role={viewer.role} />;
  return (
    <LiveClusterView
      segment={segment}
      account={place.account}
      region={place.region}
      id={id}
      detail={packDetail(loaded.detail)}
      path={path}
      params={query}
      renderedAt={loaded.detail.window.end}
      notice={loaded.notice}
      operationsHref={loaded.operationsHref}
      alarmsOffer={loaded.alarmsOffer}
      banner={loaded.followed ? <OperationBanner record={loaded.followed} viewerId={viewer.id} /> : undefined}
      capacity={loaded.capacity ? <CapacityCard card={loaded.capacity} /> : undefined}
    />
  );
}
