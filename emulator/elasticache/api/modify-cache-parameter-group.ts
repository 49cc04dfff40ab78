import { z } from "zod";
import { parseInput, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { findParameterGroup, invalidParameterValue, isDefaultParameterGroup, parameterDefinitions } from "../state/parameter-groups";
import { cacheParameterGroupNotFound, fault, invalidCombination, invalidValue } from "./errors";

const modifySchema = z.object({
  CacheParameterGroupName: z.string().transform((s) => s.toLowerCase()),
  ParameterNameValues: qList(z.object({ ParameterName: z.string(), ParameterValue: z.string().default("") })),
});

/** Sets values on a created group (AWS takes up to 20 at once); a default group cannot be modified. */
export function modifyCacheParameterGroup(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(modifySchema, raw);
    const state = cp.regionState(ctx.region);
    const name = input.CacheParameterGroupName;
    const group = findParameterGroup(state, name);
    if (!group) throw cacheParameterGroupNotFound(name);
    if (isDefaultParameterGroup(name)) {
      throw fault("InvalidCacheParameterGroupStateFault", `Default parameter group ${name} cannot be modified; create your own from family ${group.family}.`);
    }
    if (input.ParameterNameValues.length === 0 || input.ParameterNameValues.length > 20) {
      throw invalidCombination("ParameterNameValues must name between 1 and 20 parameters");
    }
    const definitions = parameterDefinitions(group.family);
    const values = { ...group.values };
    for (const { ParameterName, ParameterValue } of input.ParameterNameValues) {
      const definition = definitions.find((p) => p.name === ParameterName);
      if (!definition) throw invalidValue(`Unknown parameter ${ParameterName} for family ${group.family}`);
      if (!definition.modifiable) throw invalidValue(`Parameter ${ParameterName} is not modifiable`);
      const why = invalidParameterValue(definition, ParameterValue);
      if (why) throw invalidValue(`Invalid value ${JSON.stringify(ParameterValue)} for parameter ${ParameterName}: ${why}`);
      values[ParameterName] = ParameterValue;
    }
    group.values = values;
    cp.save();
    return { CacheParameterGroupName: name };
  };
}
