import { z } from "zod";
import { qInt } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import { parseFisInput, validation } from "../errors";
import type { FisExperiments } from "../experiments";

const listSchema = z.object({
  maxResults: qInt.refine((n) => n >= 1 && n <= 100, "must be from 1 to 100").optional(),
  nextToken: z.string().optional(),
  experimentTemplateId: z.string().optional(),
});

/** Newest first, as summaries; nextToken is the id of the last one returned. */
export function listExperiments(experiments: FisExperiments): Operation {
  return async (raw, ctx) => {
    const input = parseFisInput(listSchema, raw);
    const all = experiments.experiments(ctx.region).filter((e) => !input.experimentTemplateId || e.experimentTemplateId === input.experimentTemplateId);
    const from = input.nextToken === undefined ? 0 : all.findIndex((e) => e.id === input.nextToken) + 1;
    if (from === 0 && input.nextToken !== undefined) throw validation(`nextToken ${input.nextToken} is not valid`);
    const page = all.slice(from, from + (input.maxResults ?? 50));
    return {
      experiments: page.map((e) => ({ id: e.id, arn: e.arn, experimentTemplateId: e.experimentTemplateId, state: e.state, creationTime: e.creationTime, tags: e.tags, experimentOptions: e.experimentOptions })),
      nextToken: from + page.length < all.length ? page[page.length - 1].id : undefined,
    };
  };
}
