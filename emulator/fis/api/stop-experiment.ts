import { z } from "zod";
import type { Operation } from "@/emulator/server/service";
import { parseFisInput } from "../errors";
import type { FisExperiments } from "../experiments";

const idSchema = z.object({ id: z.string().min(1).max(64) });

/** Answers with the experiment stopping; power comes back and GetExperiment shows it stopped. */
export function stopExperiment(experiments: FisExperiments): Operation {
  return async (raw, ctx) => ({ experiment: experiments.stop(ctx.region, parseFisInput(idSchema, raw).id) });
}
