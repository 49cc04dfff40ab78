import { z } from "zod";
import type { Operation } from "@/emulator/server/service";
import { parseFisInput } from "../errors";
import type { FisExperiments } from "../experiments";

const startSchema = z.object({
  clientToken: z.string().min(1).max(1024),
  experimentTemplateId: z.string().min(1).max(64),
  experimentOptions: z.object({ actionsMode: z.enum(["skip-all", "run-all"]).optional() }).optional(),
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
});

export function startExperiment(experiments: FisExperiments): Operation {
  return async (raw, ctx) => {
    const input = parseFisInput(startSchema, raw);
    const earlier = experiments.byToken(ctx.region, input.clientToken);
    if (earlier) return { experiment: experiments.experiment(ctx.region, earlier) };
    const template = experiments.template(ctx.region, input.experimentTemplateId);
    const options = { tags: input.tags, actionsMode: input.experimentOptions?.actionsMode ?? "run-all" } as const;
    return { experiment: experiments.start(ctx.region, input.clientToken, template, options, ctx.receivedAt) };
  };
}
