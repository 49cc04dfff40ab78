"use server";

import { z } from "zod";
import { primaryOf, shardNodes } from "@/lib/aws";
import { testFailover as callTestFailover } from "@/lib/aws/elasticache-changes";
import { getAuditLog } from "@/lib/audit";
import { failoverQuotaUse, quotaLeft } from "@/lib/audit/failover-quota";
import { drillConfig } from "@/lib/env";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { confirmationField, confirmationIssue, confirmationMatches, withoutConfirmation, nodeGroupIdField, placeIsConfigured, placeIssue, placeOf, regionField, replicationGroupIdField, accountField } from "@/lib/actions/fields";
import { placeLabel } from "@/lib/place";
import { afterClusterChange, loadReplicationGroup, unavailableRefusal } from "@/lib/actions/replication-group";

const testFailoverSchema = z
  .object({ account: accountField, region: regionField, replicationGroupId: replicationGroupIdField, nodeGroupId: nodeGroupIdField, confirmation: confirmationField })
  .refine(placeIsConfigured, placeIssue)
  .refine(confirmationMatches, confirmationIssue);

export type TestFailoverInput = z.input<typeof testFailoverSchema>;

const run = defineAction({
  name: "cluster.test-failover",
  permission: "cluster.test-failover",
  schema: testFailoverSchema,
  auditParameters: withoutConfirmation,
  target: (input) => ({ account: input.account, region: input.region, target: `${input.replicationGroupId}/${input.nodeGroupId}` }),
  load: async (input) => {
    const [group, quota] = await Promise.all([
      loadReplicationGroup(placeOf(input), input.replicationGroupId),
      getAuditLog().then((audit) =>
        failoverQuotaUse(placeOf(input), audit, drillConfig().failoverQuotaPerDay, new Date(), (message, error) => console.warn(`[cachedeck] ${message}`, error)),
      ),
    ]);
    return { group, quota };
  },
  precheck: (input, { group, quota }) => {
    const unavailable = unavailableRefusal(group, "a test failover");
    if (unavailable) return unavailable;
    if (group.automaticFailover !== "enabled") {
      return { error: `Automatic failover is ${group.automaticFailover ?? "off"} for ${input.replicationGroupId}; turn it on before testing a failover.` };
    }
    const shard = group.shards.find((s) => s.id === input.nodeGroupId);
    if (!shard) {
      const ids = group.shards.map((s) => s.id).join(", ");
      return { error: "No such shard.", fieldErrors: { nodeGroupId: [`${input.replicationGroupId} has shards ${ids}.`] } };
    }
    if (shard.status !== "available") return { error: `Shard ${input.nodeGroupId} is ${shard.status}; try again when it is available.` };
    if (shardNodes(group, shard.id).length < 2) {
      return { error: `Shard ${input.nodeGroupId} has no replica to promote; add a replica first.` };
    }
    if (quotaLeft(quota) <= 0) {
      const used = Math.max(quota.usedByOurRecords, quota.usedByEvents ?? 0);
      return {
        error: `The test failover quota of ${placeLabel(placeOf(input))} is used up: ${used} of ${quota.limit} shards in the rolling 24 hours. Try again once the oldest falls out of the window.`,
      };
    }
    return null;
  },
  execute: async (input, { group }, signal) => {
    const { requestId } = await callTestFailover(placeOf(input), input.replicationGroupId, input.nodeGroupId, signal);
    return { requestId, data: { previousPrimary: primaryOf(group, input.nodeGroupId)?.cacheClusterId ?? null } };
  },
  revalidate: (input) => afterClusterChange(placeOf(input), input.replicationGroupId),
  explain: explainAwsRefusal,
});

/** Fails over one shard's primary to a replica (ElastiCache TestFailover). Operators and admins. */
export async function testFailover(input: TestFailoverInput): Promise<ActionResult<{ previousPrimary: string | null }>> {
  return run(input);
}
