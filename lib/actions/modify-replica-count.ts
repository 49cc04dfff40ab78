"use server";

import { z } from "zod";
import { decreaseReplicaCount, increaseReplicaCount, type ReplicaTarget } from "@/lib/aws/elasticache-changes";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { confirmationField, confirmationIssue, confirmationMatches, withoutConfirmation, nodeGroupIdField, numberField, placeIsConfigured, placeIssue, placeOf, regionField, replicationGroupIdField, accountField } from "@/lib/actions/fields";
import { afterClusterChange, loadReplicationGroup, replicaFloorRefusal, replicasPerShard, unavailableRefusal } from "@/lib/actions/replication-group";
import type { Refusal } from "@/lib/actions/run-action";

const replicas = numberField({ message: "Enter a whole number of replicas per shard, 0 to 5.", min: 0, max: 5 });

const modifyReplicaCountSchema = z
  .object({
    account: accountField,
  region: regionField,
    replicationGroupId: replicationGroupIdField,
    /** Every shard gets this many replicas… */
    replicas: replicas.optional(),
    /** …or each listed shard its own count. */
    shards: z
      .array(z.object({ nodeGroupId: nodeGroupIdField, replicas }))
      .min(1)
      .refine((shards) => new Set(shards.map((s) => s.nodeGroupId)).size === shards.length, "List each shard once.")
      .optional(),
    confirmation: confirmationField,
  }).refine(placeIsConfigured, placeIssue)
  .refine((v) => (v.replicas === undefined) !== (v.shards === undefined), { path: ["replicas"], message: "Give one replica count for the group, or one per shard." })
  .refine(confirmationMatches, confirmationIssue);

export type ModifyReplicaCountInput = z.input<typeof modifyReplicaCountSchema>;
type Input = z.output<typeof modifyReplicaCountSchema>;

/** The wanted count per shard, from a group-wide count or the listed shards. */
function wanted(input: Input, current: Map<string, number>): Map<string, number> {
  if (input.replicas !== undefined) return new Map([...current.keys()].map((id) => [id, input.replicas!]));
  return new Map(input.shards!.map((s) => [s.nodeGroupId, s.replicas]));
}

function direction(input: Input, current: Map<string, number>): { up: boolean } | Refusal {
  const target = wanted(input, current);
  const unknown = [...target.keys()].filter((id) => !current.has(id));
  if (unknown.length > 0) {
    return { error: "No such shard.", fieldErrors: { shards: [`${input.replicationGroupId} has shards ${[...current.keys()].join(", ")}.`] } };
  }
  const changes = [...target].filter(([id, count]) => current.get(id) !== count);
  if (changes.length === 0) return { error: "Nothing would change: the shards already have those replica counts." };
  const up = changes.filter(([id, count]) => count > current.get(id)!).length;
  if (up !== 0 && up !== changes.length) return { error: "Add replicas and remove replicas in two separate steps: AWS does one direction at a time." };
  return { up: up > 0 };
}

const run = defineAction({
  name: "cluster.modify-replica-count",
  permission: "cluster.scale",
  schema: modifyReplicaCountSchema,
  auditParameters: withoutConfirmation,
  target: (input) => ({ account: input.account, region: input.region, target: input.replicationGroupId }),
  load: (input) => loadReplicationGroup(placeOf(input), input.replicationGroupId),
  precheck: (input, group) => {
    const unavailable = unavailableRefusal(group, "a replica change");
    if (unavailable) return unavailable;
    const current = replicasPerShard(group);
    const planned = direction(input, current);
    if ("error" in planned) return planned;
    return replicaFloorRefusal(group, wanted(input, current));
  },
  execute: async (input, group, signal) => {
    const current = replicasPerShard(group);
    const planned = direction(input, current) as { up: boolean };
    const target: ReplicaTarget =
      input.replicas !== undefined ? { replicas: input.replicas } : { shards: input.shards!.map((s) => ({ nodeGroupId: s.nodeGroupId, replicas: s.replicas })) };
    const call = planned.up ? increaseReplicaCount : decreaseReplicaCount;
    const { requestId } = await call(placeOf(input), input.replicationGroupId, target, signal);
    return { requestId, data: { direction: planned.up ? ("increase" as const) : ("decrease" as const), before: Object.fromEntries(current) } };
  },
  revalidate: (input) => afterClusterChange(placeOf(input), input.replicationGroupId),
  explain: explainAwsRefusal,
});

/** Adds or removes replicas, for the whole group or per shard, applied immediately. Admins. */
export async function modifyReplicaCount(
  input: ModifyReplicaCountInput,
): Promise<ActionResult<{ direction: "increase" | "decrease"; before: Record<string, number> }>> {
  return run(input);
}
