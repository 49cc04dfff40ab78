import "server-only";
import { describeReplicationGroups, type AwsProblem } from "@/lib/aws";
import { dashboardConfig } from "@/lib/env";
import { toProblem } from "./problems";

export interface DrillTarget {
  region: string;
  id: string;
  status: string;
}

/** Every replication group a drill can target, per configured region; a region that cannot be listed is named. */
export async function loadDrillTargets(): Promise<{ targets: DrillTarget[]; problems: AwsProblem[] }> {
  const problems: AwsProblem[] = [];
  const perRegion = await Promise.all(
    dashboardConfig().regions.map(async (region) => {
      try {
        return (await describeReplicationGroups(region)).map((g) => ({ region, id: g.id, status: g.status }));
      } catch (error) {
        problems.push(toProblem(error, region, "replication groups"));
        return [];
      }
    }),
  );
  return { targets: perRegion.flat(), problems };
}
