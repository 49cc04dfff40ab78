"use server";

import { z } from "zod";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { placeIsConfigured, placeIssue, regionField, replicationGroupIdField, accountField } from "@/lib/actions/fields";
import { getDrillStore } from "@/lib/drills";
import type { Drill } from "@/lib/drills/model";

const abortDrillSchema = z
  .object({
    account: accountField,
    region: regionField,
    replicationGroupId: replicationGroupIdField,
    drillId: z.number({ error: "A drill number." }).int().positive(),
  })
  .refine(placeIsConfigured, placeIssue);

export type AbortDrillInput = z.input<typeof abortDrillSchema>;

const run = defineAction({
  name: "cluster.abort-drill",
  permission: "drill.run",
  schema: abortDrillSchema,
  target: (input) => ({ account: input.account, region: input.region, target: `${input.replicationGroupId}/drill-${input.drillId}` }),
  load: async (input): Promise<Drill | undefined> => (await getDrillStore()).get(input.drillId),
  precheck: (input, drill) => {
    if (!drill || drill.account !== input.account || drill.region !== input.region || drill.replicationGroupId !== input.replicationGroupId) {
      return { error: `There is no drill #${input.drillId} on ${input.replicationGroupId}.` };
    }
    if (drill.status !== "running") return { error: `Drill #${drill.id} is ${drill.status}; only a running drill can be aborted.` };
    if (drill.abortRequestedAt) return { error: `Drill #${drill.id} is already stopping (asked by ${drill.abortRequestedBy}).` };
    return null;
  },
  execute: async (input, _drill, _signal, { actor }) => {
    const accepted = await (await getDrillStore()).requestAbort(input.drillId, actor.name);
    if (!accepted) throw new Error(`Drill #${input.drillId} ended or was already stopping.`);
    return { data: { drillId: input.drillId } };
  },
  revalidate: (input) => ["/drills", `/drills/${input.drillId}`],
  explain: (error) => (error instanceof Error && error.message.startsWith("Drill #") ? error.message : null),
});

/** Stops a running drill before its next shard (the shard under way finishes recovering). Operators and admins. */
export async function abortDrill(input: AbortDrillInput): Promise<ActionResult<{ drillId: number }>> {
  return run(input);
}
