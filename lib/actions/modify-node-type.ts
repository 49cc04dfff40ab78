"use server";

import { z } from "zod";
import { listAllowedNodeTypeModifications } from "@/lib/aws";
import { modifyNodeType as callModifyNodeType } from "@/lib/aws/elasticache-changes";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { cacheNodeTypeField, confirmationField, confirmationIssue, confirmationMatches, withoutConfirmation, placeIsConfigured, placeIssue, placeOf, regionField, replicationGroupIdField, accountField } from "@/lib/actions/fields";
import { afterClusterChange, loadReplicationGroup, unavailableRefusal } from "@/lib/actions/replication-group";

const modifyNodeTypeSchema = z
  .object({
    account: accountField,
  region: regionField,
    replicationGroupId: replicationGroupIdField,
    cacheNodeType: cacheNodeTypeField,
    confirmation: confirmationField,
  }).refine(placeIsConfigured, placeIssue)
  .refine(confirmationMatches, confirmationIssue);

export type ModifyNodeTypeInput = z.input<typeof modifyNodeTypeSchema>;

const run = defineAction({
  name: "cluster.modify-node-type",
  permission: "cluster.scale",
  schema: modifyNodeTypeSchema,
  auditParameters: withoutConfirmation,
  target: (input) => ({ account: input.account, region: input.region, target: input.replicationGroupId }),
  load: async (input) => {
    const [group, allowed] = await Promise.all([
      loadReplicationGroup(placeOf(input), input.replicationGroupId),
      listAllowedNodeTypeModifications(placeOf(input), input.replicationGroupId),
    ]);
    return { group, allowed: [...allowed.scaleUp, ...allowed.scaleDown] };
  },
  precheck: (input, { group, allowed }) => {
    const unavailable = unavailableRefusal(group, "a node type change");
    if (unavailable) return unavailable;
    if (group.nodeType === input.cacheNodeType) {
      return { error: "Nothing would change.", fieldErrors: { cacheNodeType: [`${input.replicationGroupId} already runs ${input.cacheNodeType}.`] } };
    }
    if (!allowed.includes(input.cacheNodeType)) {
      return { error: "AWS does not offer that node type for this group.", fieldErrors: { cacheNodeType: [`Choose one of: ${allowed.join(", ")}.`] } };
    }
    return null;
  },
  execute: async (input, { group }, signal) => {
    const { requestId } = await callModifyNodeType(placeOf(input), input.replicationGroupId, input.cacheNodeType, signal);
    return { requestId, data: { from: group.nodeType, to: input.cacheNodeType } };
  },
  revalidate: (input) => afterClusterChange(placeOf(input), input.replicationGroupId),
  explain: explainAwsRefusal,
});

/** Moves every node of the group to another node type, applied immediately (ModifyReplicationGroup). Admins. */
export async function modifyNodeType(input: ModifyNodeTypeInput): Promise<ActionResult<{ from: string | null; to: string }>> {
  return run(input);
}
