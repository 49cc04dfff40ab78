import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { changeReplicaCount } from "./replica-count-change";

export function decreaseReplicaCount(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => changeReplicaCount(cp, raw, ctx, "decrease");
}
