import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { idFilter, maxRecords } from "./input-schemas";
import { requireReplicationGroup } from "./lookups";
import { pageOf } from "./paging";
import { renderReplicationGroup } from "./render";
import { byKey } from "./shared";

const describeSchema = z.object({ ReplicationGroupId: idFilter, MaxRecords: maxRecords, Marker: z.string().optional() });

export function describeReplicationGroups(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const state = cp.regionState(ctx.region);
    const groups = input.ReplicationGroupId
      ? [requireReplicationGroup(state, input.ReplicationGroupId)]
      : Object.values(state.replicationGroups).sort(byKey((g) => g.replicationGroupId));
    const page = pageOf(groups, (g) => g.replicationGroupId, input.MaxRecords, input.Marker);
    return { Marker: page.marker, ReplicationGroups: page.items.map((g) => renderReplicationGroup(cp.accountId, ctx.region, state, g)) };
  };
}
