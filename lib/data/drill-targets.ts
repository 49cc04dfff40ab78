import "server-only";
import { describeReplicationGroups } from "@/lib/aws";
import { dashboardConfig } from "@/lib/env";

export interface DrillTarget {
  region: string;
  id: string;
  status: string;
}

/** Every replication group a drill can target, per configured region; a region that cannot be listed is named. */
export async function loadDrillTargets(): Promise<{ targets: DrillTarget[]; problems: string[] }> {
  const problems: string[] = [];
  const perRegion = await Promise.all(
    dashboardConfig().regions.map(async (region) => {
      try {
        return (await describeReplicationGroups(region)).map((g) => ({ region, id: g.id, status: g.status }));
      } catch (error) {
        problems.push(`${region}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
    }),
  );
  return { targets: perRegion.flat(), problems };
}
