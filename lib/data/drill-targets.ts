import "server-only";
import { describeReplicationGroups, type AwsProblem } from "@/lib/aws";
import type { Place } from "@/lib/place";
import { toProblem } from "./problems";

export interface DrillTarget {
  account: string;
  region: string;
  id: string;
  status: string;
}

/** Every replication group a drill can target in `places` (those the person may read); a place that cannot be listed is named. */
export async function loadDrillTargets(places: readonly Place[]): Promise<{ targets: DrillTarget[]; problems: AwsProblem[] }> {
  const problems: AwsProblem[] = [];
  const perRegion = await Promise.all(
    places.map(async (place) => {
      try {
        return (await describeReplicationGroups(place)).map((g) => ({ ...place, id: g.id, status: g.status }));
      } catch (error) {
        problems.push(toProblem(error, place, "replication groups"));
        return [];
      }
    }),
  );
  return { targets: perRegion.flat(), problems };
}
