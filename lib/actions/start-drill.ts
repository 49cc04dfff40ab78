"use server";

import { z } from "zod";
import { listTags } from "@/lib/aws";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { confirmationField, confirmationIssue, confirmationMatches, placeIsConfigured, placeIssue, placeOf, regionField, replicationGroupIdField, accountField } from "@/lib/actions/fields";
import { drillConfig } from "@/lib/env";
import { clusterPath } from "@/lib/actions/replication-group";
import { getDrillStore, launchDrill, preflight } from "@/lib/drills";
import { DrillConflictError } from "@/lib/drills/store";
import { drillShape, kindIssues, objectivesField } from "@/lib/drills/start-input";

const startDrillSchema = z
  .object({
    account: accountField,
    region: regionField,
    replicationGroupId: replicationGroupIdField,
    ...drillShape,
    objectives: objectivesField.optional(),
    confirmation: confirmationField,
  })
  .refine(placeIsConfigured, placeIssue)
  .refine(confirmationMatches, confirmationIssue)
  .superRefine((value, ctx) => {
    for (const issue of kindIssues(value)) ctx.addIssue({ code: "custom", ...issue });
  });

export type StartDrillInput = z.input<typeof startDrillSchema>;

const run = defineAction({
  name: "cluster.start-drill",
  permission: "drill.run",
  schema: startDrillSchema,
  target: (input) => ({
    account: input.account,
    region: input.region,
    target: input.kind === "test-failover" ? `${input.replicationGroupId}/${input.shards.join(",")}` : `${input.replicationGroupId}/${input.availabilityZone}`,
  }),
  load: (input) => preflight(input),
  precheck: (_input, { checklist }) => {
    if (checklist.ready) return null;
    const failed = checklist.items.filter((item) => item.status === "fail");
    return { error: `The pre-flight checklist does not pass: ${failed.map((item) => item.detail).join(" ")}` };
  },
  execute: async (input, { checklist, observed }, _signal, { actor, auditId }) => {
    const tags = observed.group.arn ? await listTags(placeOf(input), observed.group.arn).catch(() => ({})) : {};
    const drill = await (await getDrillStore()).create({
      kind: input.kind,
      account: input.account,
      region: input.region,
      replicationGroupId: input.replicationGroupId,
      parameters: {
        shards: checklist.shards,
        availabilityZone: input.kind === "az-power-interruption" ? input.availabilityZone : null,
        durationSeconds: input.kind === "az-power-interruption" ? input.durationSeconds : null,
        probe: input.probe,
      },
      objectives: input.objectives ?? drillConfig().objectives,
      tags,
      actor: { id: actor.id, name: actor.name, email: actor.email, role: actor.role },
      auditId,
    });
    await launchDrill(drill, observed);
    return { data: { drillId: drill.id } };
  },
  revalidate: (input) => ["/drills", clusterPath(placeOf(input), input.replicationGroupId), "/audit"],
  explain: (error, role) => (error instanceof DrillConflictError ? error.message : explainAwsRefusal(error, role)),
});

/** Starts a failover drill (operators and admins); the drill then runs on the server and its page follows it. */
export async function startDrill(input: StartDrillInput): Promise<ActionResult<{ drillId: number }>> {
  return run(input);
}
