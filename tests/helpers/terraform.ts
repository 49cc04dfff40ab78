import fs from "node:fs";
import path from "node:path";
import { parse } from "@cdktf/hcl2json";

// Reads a Terraform module's HCL as JSON (HashiCorp's own HCL parser, compiled to WebAssembly) and resolves the plain
// string interpolations the member-roles module uses. An expression it cannot resolve is an error.

type Block = Record<string, unknown>;
/** `{ resource: { aws_iam_role: { admin: [ { ...attributes } ] } }, data: …, locals: [ … ], variable: … }` */
export type Module = Record<string, Record<string, Record<string, Block[]>> | Block[]>;

export async function readModule(dir: string): Promise<Module> {
  const tf: Module = {};
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort()) {
    const parsed = (await parse(name, fs.readFileSync(path.join(dir, name), "utf8"))) as Module;
    for (const [kind, blocks] of Object.entries(parsed)) {
      if (Array.isArray(blocks)) tf[kind] = [...((tf[kind] as Block[] | undefined) ?? []), ...blocks];
      else if (kind === "resource" || kind === "data") {
        // Two labels: type, then name.
        const byType = (tf[kind] ?? {}) as Record<string, Record<string, Block[]>>;
        for (const [type, named] of Object.entries(blocks)) byType[type] = { ...(byType[type] ?? {}), ...named };
        tf[kind] = byType;
      } else tf[kind] = { ...(tf[kind] ?? {}), ...blocks };
    }
  }
  return tf;
}

/** The one block `kind.type.name` (e.g. resource.aws_iam_role.admin), or an error naming what is missing. */
export function block(tf: Module, kind: "resource" | "data", type: string, name: string): Block {
  const blocks = (tf[kind] as Record<string, Record<string, Block[]>> | undefined)?.[type]?.[name];
  if (!blocks || blocks.length !== 1) throw new Error(`${kind} ${type}.${name}: expected exactly one block`);
  return blocks[0];
}

export function blocksOf(tf: Module, kind: "resource" | "data", type: string): Record<string, Block> {
  const byType = (tf[kind] as Record<string, Record<string, Block[]>> | undefined)?.[type] ?? {};
  return Object.fromEntries(Object.entries(byType).map(([name, blocks]) => [name, blocks[0]]));
}

/** The `variable "name"` block. */
export function variable(tf: Module, name: string): Block {
  const blocks = (tf.variable as unknown as Record<string, Block[]> | undefined)?.[name];
  if (!blocks || blocks.length !== 1) throw new Error(`variable ${name}: expected exactly one block`);
  return blocks[0];
}

/** The module's locals, merged from every `locals` block. */
export function locals(tf: Module): Record<string, unknown> {
  return Object.assign({}, ...((tf.locals as Block[] | undefined) ?? []));
}

/** A reference inside `${…}`, without a count index: `aws_iam_role.fis_experiment[0].arn` → aws_iam_role.fis_experiment.arn. */
export function reference(expression: string): string {
  const match = /^\$\{([^}]+)\}$/.exec(expression);
  if (!match) throw new Error(`${expression} is not a single reference`);
  return match[1].replace(/\[0\]/g, "");
}

/** Replaces each `${reference}` in `text` by `resolve(reference)`; a reference it cannot resolve throws. */
export function interpolate(text: string, resolve: (reference: string) => string): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, expression: string) => resolve(expression.replace(/\[0\]/g, "").trim()));
}
