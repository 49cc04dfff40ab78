import { z } from "zod";
import type { RequestContext } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { parseArn } from "../state/arns";
import { cacheClusterNotFound, fault, replicationGroupNotFound, serverlessCacheNotFound } from "./errors";

export const resourceSchema = z.object({ ResourceName: z.string() });

/** The ARN of an existing replication group, cache cluster or serverless cache of the caller's region. */
export function resolveResource(cp: ElastiCacheControlPlane, arn: string, ctx: RequestContext): string {
  const parsed = parseArn(arn);
  if (!parsed) throw fault("InvalidARNFault", `The parameter ResourceName is not a valid ElastiCache ARN: ${arn}`);
  const state = cp.regionState(ctx.region);
  const here = parsed.region === ctx.region && parsed.account === cp.accountId;
  switch (parsed.type) {
    case "replicationgroup":
      if (!here || !state.replicationGroups[parsed.id]) throw replicationGroupNotFound(parsed.id);
      return arn;
    case "cluster":
      if (!here || !state.cacheClusters[parsed.id]) throw cacheClusterNotFound(parsed.id);
      return arn;
    case "serverlesscache":
      if (!here || !state.serverlessCaches[parsed.id]) throw serverlessCacheNotFound(parsed.id);
      return arn;
    default:
      throw fault("InvalidARNFault", `The emulator tags replication groups, clusters and serverless caches only, not ${parsed.type}: ${arn}`);
  }
}

/** AWS replicates tag changes on a replication group to its member clusters; other resources are tagged alone. */
export function membersOf(cp: ElastiCacheControlPlane, arn: string, ctx: RequestContext): string[] {
  const parsed = parseArn(arn);
  const group = parsed?.type === "replicationgroup" ? cp.regionState(ctx.region).replicationGroups[parsed.id] : undefined;
  return (group?.nodeGroups ?? []).flatMap((ng) => ng.memberClusterIds).map((id) => cp.arn(ctx.region, "cluster", id));
}
