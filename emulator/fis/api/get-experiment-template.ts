import { z } from "zod";
import type { Operation } from "@/emulator/server/service";
import { parseFisInput } from "../errors";
import type { FisExperiments } from "../experiments";

const idSchema = z.object({ id: z.string().min(1).max(64) });

export function getExperimentTemplate(experiments: FisExperiments): Operation {
  return async (raw, ctx) => ({ experimentTemplate: experiments.template(ctx.region, parseFisInput(idSchema, raw).id) });
}
