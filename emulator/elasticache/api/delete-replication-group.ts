import { z } from "zod";
import { parseInput, qBool } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { replicationGroupLifecycle, retire } from "../workflows/lifecycle";
import { fault, invalidCombination } from "./errors";
import { resourceId } from "./input-schemas";
import { requireReplicationGroup } from "./lookups";
import { renderReplicationGroup } from "./render";
import { refuseUnsupported } from "./shared";

const deleteSchema = z.object({
  ReplicationGroupId: resourceId("ReplicationGroupId", 40),
  RetainPrimaryCluster: qBool.optional(),
  FinalSnapshotIdentifier: z.string().optional(),
});

export function deleteReplicationGroup(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(deleteSchema, raw);
    refuseUnsupported(input, ["FinalSnapshotIdentifier"]);
    if (input.RetainPrimaryCluster) {
      throw invalidCombination("RetainPrimaryCluster is not supported by the emulator; the whole group is deleted");
    }
    const state = cp.regionState(ctx.region);
    const rg = requireReplicationGroup(state, input.ReplicationGroupId);
    if (rg.status !== "available" && rg.status !== "create-failed") {
      throw fault("InvalidReplicationGroupStateFault", `Replication group ${rg.replicationGroupId} has status ${rg.status}; it can be deleted when it is available.`);
    }
    retire(cp, replicationGroupLifecycle(cp, ctx.region, rg));
    return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
  };
}
