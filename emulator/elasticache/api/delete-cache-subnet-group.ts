import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { DEFAULT_SUBNET_GROUP } from "../state/cache-settings";
import { findSubnetGroup, subnetGroupUsers } from "../state/subnet-groups";
import { cacheSubnetGroupNotFound, fault, invalidValue } from "./errors";
import { subnetGroupName } from "./create-cache-subnet-group";

const deleteSchema = z.object({ CacheSubnetGroupName: subnetGroupName });

export function deleteCacheSubnetGroup(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const { CacheSubnetGroupName: name } = parseInput(deleteSchema, raw);
    const state = cp.regionState(ctx.region);
    if (name === DEFAULT_SUBNET_GROUP) throw invalidValue("The default cache subnet group cannot be deleted.");
    if (!findSubnetGroup(state, ctx.region, name)) throw cacheSubnetGroupNotFound(name);
    const users = subnetGroupUsers(state, name);
    if (users.length > 0) throw fault("CacheSubnetGroupInUse", `Cache subnet group ${name} is in use by ${users.join(", ")}.`);
    delete state.cacheSubnetGroups[name];
    cp.save();
    return {};
  };
}
