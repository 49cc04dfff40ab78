import { z } from "zod";
import type { Operation } from "@/emulator/server/service";
import { checkAction } from "../az-power-action";
import { parseFisInput, validation } from "../errors";
import type { FisExperiments } from "../experiments";
import { checkTarget } from "../target-resolution";

const tagMap = z.record(z.string().min(1).max(128), z.string().max(256));
const stringMap = z.record(z.string(), z.string());

const createSchema = z.object({
  clientToken: z.string().min(1).max(1024),
  description: z.string().min(1).max(512),
  stopConditions: z.array(z.object({ source: z.string().min(1).max(64), value: z.string().min(20).max(2048).optional() })).min(1),
  targets: z
    .record(
      z.string().min(1).max(64),
      z.object({
        resourceType: z.string().min(1).max(128),
        resourceArns: z.array(z.string().min(20).max(2048)).max(5).optional(),
        resourceTags: tagMap.optional(),
        filters: z.array(z.unknown()).optional(),
        selectionMode: z.string().min(1).max(64),
        parameters: stringMap.optional(),
      }),
    )
    .default({}),
  actions: z.record(
    z.string().min(1).max(64),
    z.object({
      actionId: z.string().min(1).max(128),
      description: z.string().max(512).optional(),
      parameters: stringMap.default({}),
      targets: stringMap.default({}),
      startAfter: z.array(z.string()).optional(),
    }),
  ),
  roleArn: z.string().min(20).max(2048),
  tags: tagMap.default({}),
  logConfiguration: z.unknown().optional(),
  experimentOptions: z
    .object({ accountTargeting: z.enum(["single-account", "multi-account"]).optional(), emptyTargetResolutionMode: z.enum(["fail", "skip"]).optional() })
    .optional(),
  experimentReportConfiguration: z.unknown().optional(),
});

/** The role FIS assumes to act on the targets: an IAM role ARN (the emulator checks its form; it has no IAM). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Features of FIS the emulator does not model are refused by name rather than ignored. */
function refuseUnsupported(input: z.output<typeof createSchema>): void {
  if (input.logConfiguration !== undefined) throw validation("logConfiguration is not supported by the emulator; leave it out");
  if (input.experimentReportConfiguration !== undefined) throw validation("experimentReportConfiguration is not supported by the emulator; leave it out");
  if (input.experimentOptions?.accountTargeting === "multi-account") throw validation("multi-account experiments are not supported by the emulator");
  const alarm = input.stopConditions.find((c) => c.source !== "none");
  if (alarm) throw validation(`Stop condition source ${alarm.source} is not supported by the emulator; use source none`);
  const filtered = Object.entries(input.targets).find(([, t]) => t.filters?.length || Object.keys(t.parameters ?? {}).length);
  if (filtered) throw validation(`Target ${filtered[0]}: filters and parameters are not supported for ${filtered[1].resourceType}`);
}

export function createExperimentTemplate(experiments: FisExperiments): Operation {
  return async (raw, ctx) => {
    const input = parseFisInput(createSchema, raw);
    const earlier = experiments.byToken(ctx.region, input.clientToken);
    if (earlier) return { experimentTemplate: experiments.template(ctx.region, earlier) };
    if (!ROLE_ARN.test(input.roleArn)) throw validation(`roleArn ${input.roleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    refuseUnsupported(input);
    const actions = Object.entries(input.actions);
    if (actions.length !== 1) throw validation(`A template needs exactly one action in the emulator; this one has ${actions.length}`);
    for (const [name, target] of Object.entries(input.targets)) checkTarget(name, target, ctx.region);
    for (const [name, action] of actions) {
      if (action.startAfter?.length) throw validation(`Action ${name}: startAfter names an action that does not exist`);
      checkAction(name, action, input.targets, ctx.region);
    }
    const unused = Object.keys(input.targets).find((name) => !actions.some(([, a]) => Object.values(a.targets).includes(name)));
    if (unused) throw validation(`Target ${unused} is not used by any action`);
    const template = experiments.addTemplate(ctx.region, input.clientToken, {
      description: input.description,
      targets: Object.fromEntries(Object.entries(input.targets).map(([name, t]) => [name, { resourceType: t.resourceType, resourceArns: t.resourceArns, resourceTags: t.resourceTags, selectionMode: t.selectionMode }])),
      actions: Object.fromEntries(actions.map(([name, a]) => [name, { actionId: a.actionId, description: a.description, parameters: a.parameters, targets: a.targets }])),
      stopConditions: input.stopConditions,
      creationTime: ctx.receivedAt,
      lastUpdateTime: ctx.receivedAt,
      roleArn: input.roleArn,
      tags: input.tags,
      experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: input.experimentOptions?.emptyTargetResolutionMode ?? "fail" },
    });
    return { experimentTemplate: template };
  };
}
