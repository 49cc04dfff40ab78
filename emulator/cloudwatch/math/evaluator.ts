import type { EvalContext, Evaluate } from "./eval-context";
import { MathError } from "./errors";
import { FUNCTIONS } from "./functions";
import type { Node } from "./parser";
import { array, binary, mapValue, scalar, type MathValue } from "./values";

export function evaluate(node: Node, ctx: EvalContext): MathValue {
  const run: Evaluate = (n) => evaluate(n, ctx);
  switch (node.type) {
    case "number":
      return scalar(node.value);
    case "string":
      throw new MathError(`The string "${node.value}" can only be a function argument`);
    case "ref":
      return ctx.resolve(node.name);
    case "array":
      return array(
        node.items.flatMap((item) => {
          const v = run(item);
          if (v.kind === "scalar") throw new MathError("An array can only hold time series");
          return v.kind === "series" ? [v.series] : v.items;
        }),
      );
    case "unary":
      return node.op === "-" ? mapValue(run(node.operand), (x) => -x) : run(node.operand);
    case "binary":
      return binary(node.op, run(node.left), run(node.right));
    case "call": {
      const fn = Object.hasOwn(FUNCTIONS, node.name) ? FUNCTIONS[node.name] : undefined;
      if (!fn) throw new MathError(`Unrecognized function name ${node.name}`);
      return fn(node.args, ctx, run);
    }
  }
}
