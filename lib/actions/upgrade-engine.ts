"use server";

import { z } from "zod";
import { createParameterGroup, describeChangedParameters, describeEngineSetting, describeEngineVersions, describeParameterGroups, upgradeEngine as callUpgradeEngine } from "@/lib/aws/engine-upgrades";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { accountField, confirmationField, confirmationIssue, confirmationMatches, placeIsConfigured, placeIssue, placeOf, regionField, replicationGroupIdField, withoutConfirmation } from "@/lib/actions/fields";
import { planUpgrade, type ParameterGroupChoice } from "@/lib/actions/engine-upgrade-plan";
import { afterClusterChange, loadReplicationGroup, unavailableRefusal } from "@/lib/actions/replication-group";
import { startUpgradeProbe } from "@/lib/drills/upgrade-probe";

const upgradeEngineSchema = z
  .object({
    account: accountField,
    region: regionField,
    replicationGroupId: replicationGroupIdField,
    engine: z.enum(["redis", "valkey"], { error: "Choose Valkey or Redis OSS." }),
    engineVersion: z.string().regex(/^\d{1,2}\.\d{1,2}(\.\d{1,3})?$/, "An engine version such as 8.0 or 7.1."),
    /** Empty: CacheDeck chooses (the new family's default, or a copy of the current custom group's changed values). */
    parameterGroup: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^([a-z][a-z0-9.-]{0,254})?$/, "A parameter group name: a letter, then letters, digits, dots and hyphens.")
      .default(""),
    confirmation: confirmationField,
  })
  .refine(placeIsConfigured, placeIssue)
  .refine(confirmationMatches, confirmationIssue);

export type UpgradeEngineInput = z.input<typeof upgradeEngineSchema>;

export interface UpgradeEngineData {
  from: string;
  to: string;
  parameterGroup: string;
  /** Set when CacheDeck made the parameter group from the current one's changed values. */
  createdFrom: string | null;
}

const run = defineAction({
  name: "cluster.upgrade-engine",
  permission: "cluster.scale",
  schema: upgradeEngineSchema,
  auditParameters: withoutConfirmation,
  target: (input) => ({ account: input.account, region: input.region, target: input.replicationGroupId }),
  load: async (input) => {
    const place = placeOf(input);
    const group = await loadReplicationGroup(place, input.replicationGroupId);
    const member = group.nodes[0]?.cacheClusterId;
    const [current, offers, parameterGroups] = await Promise.all([
      member ? describeEngineSetting(place, member) : Promise.resolve({ engine: group.engine, version: "", parameterGroup: "" }),
      describeEngineVersions(place),
      describeParameterGroups(place),
    ]);
    const situation = { groupId: group.id, clusterMode: group.clusterMode, current, offers, parameterGroups };
    const outcome = planUpgrade(situation, { engine: input.engine, version: input.engineVersion }, input.parameterGroup || undefined);
    // The values to carry over are read only when a group of the new family has to be made.
    const carried = outcome.ok && outcome.plan.parameterGroup.kind === "create" ? await describeChangedParameters(place, outcome.plan.parameterGroup.from) : {};
    return { group, current, outcome, carried };
  },
  precheck: (_input, { group, outcome }) => {
    const unavailable = unavailableRefusal(group, "an engine upgrade");
    if (unavailable) return unavailable;
    if (group.pending.names.length > 0) {
      return { error: `${group.id} has a change pending (${group.pending.names.join(", ")}); an engine upgrade waits until it is applied.` };
    }
    if (!outcome.ok) return { error: outcome.error, fieldErrors: { [outcome.field]: [outcome.error] } };
    return null;
  },
  execute: async (input, { group, current, outcome, carried }, signal, { auditId }) => {
    if (!outcome.ok) throw new Error("precheck let an impossible upgrade through");
    const place = placeOf(input);
    const { target, parameterGroup } = outcome.plan;
    if (parameterGroup.kind === "create") await createCarriedGroup(place, parameterGroup, target.family, carried, signal);
    const { requestId } = await callUpgradeEngine(place, input.replicationGroupId, { engine: target.engine, version: target.version, parameterGroup: parameterGroup.name }, signal);
    // AWS accepted: the write probe follows the rolling replacement until it finishes (lib/drills/upgrade-probe.ts).
    startUpgradeProbe(auditId, place, group, { engine: target.engine, version: target.version });
    const data: UpgradeEngineData = {
      from: `${current.engine} ${current.version}`,
      to: `${target.engine} ${target.version}`,
      parameterGroup: parameterGroup.name,
      createdFrom: parameterGroup.kind === "create" ? parameterGroup.from : null,
    };
    return { requestId, data };
  },
  revalidate: (input) => afterClusterChange(placeOf(input), input.replicationGroupId),
  explain: explainAwsRefusal,
});

function createCarriedGroup(
  place: ReturnType<typeof placeOf>,
  choice: Extract<ParameterGroupChoice, { kind: "create" }>,
  family: string,
  values: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  const description = `${choice.from}'s changed values, for ${family} (made by CacheDeck for an engine upgrade)`;
  return createParameterGroup(place, { name: choice.name, family, description, values }, signal);
}

/**
 * Upgrades the group's engine (a newer Redis OSS, or Valkey) with ModifyReplicationGroup, applied immediately: AWS
 * replaces the nodes one by one, replicas first, then fails over once per shard. Admins.
 */
export async function upgradeEngine(input: UpgradeEngineInput): Promise<ActionResult<UpgradeEngineData>> {
  return run(input);
}
