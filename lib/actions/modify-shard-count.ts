"use server";

import { z } from "zod";
import { modifyShardCount as callModifyShardCount } from "@/lib/aws/elasticache-changes";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { confirmationField, confirmationIssue, confirmationMatches, withoutConfirmation, numberField, placeIsConfigured, placeIssue, placeOf, regionField, replicationGroupIdField, accountField } from "@/lib/actions/fields";
import { afterClusterChange, loadReplicationGroup, unavailableRefusal } from "@/lib/actions/replication-group";

const modifyShardCountSchema = z
  .object({
    account: accountField,
  region: regionField,
    replicationGroupId: replicationGroupIdField,
    shardCount: numberField({ message: "Enter a whole number of shards, 1 to 500.", min: 1, max: 500 }),
    confirmation: confirmationField,
  }).refine(placeIsConfigured, placeIssue)
  .refine(confirmationMatches, confirmationIssue);

export type ModifyShardCountInput = z.input<typeof modifyShardCountSchema>;

/** When shrinking, the highest-numbered shards go: their slots move to the others. */
function shardsToRemove(shardIds: string[], shardCount: number): string[] {
  return [...shardIds].sort().slice(shardCount);
}

const run = defineAction({
  name: "cluster.modify-shard-count",
  permission: "cluster.scale",
  schema: modifyShardCountSchema,
  auditParameters: withoutConfirmation,
  target: (input) => ({ account: input.account, region: input.region, target: input.replicationGroupId }),
  load: (input) => loadReplicationGroup(placeOf(input), input.replicationGroupId),
  precheck: (input, group) => {
    if (!group.clusterMode) {
      return { error: `${input.replicationGroupId} runs with cluster mode disabled: it has one shard, and its shard count cannot change.` };
    }
    const unavailable = unavailableRefusal(group, "resharding");
    if (unavailable) return unavailable;
    const current = group.shards.length;
    if (current === input.shardCount) {
      return { error: "Nothing would change.", fieldErrors: { shardCount: [`${input.replicationGroupId} already has ${current} shard(s).`] } };
    }
    return null;
  },
  execute: async (input, group, signal) => {
    const ids = group.shards.map((s) => s.id);
    const removed = shardsToRemove(ids, input.shardCount);
    const { requestId } = await callModifyShardCount(placeOf(input), input.replicationGroupId, input.shardCount, removed, signal);
    return { requestId, data: { from: ids.length, to: input.shardCount, removed } };
  },
  revalidate: (input) => afterClusterChange(placeOf(input), input.replicationGroupId),
  explain: explainAwsRefusal,
});

/** Adds or removes shards of a cluster-mode group with online resharding, applied immediately. Admins. */
export async function modifyShardCount(input: ModifyShardCountInput): Promise<ActionResult<{ from: number; to: number; removed: string[] }>> {
  return run(input);
}
