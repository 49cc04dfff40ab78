import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Layers depend one way: a cycle (even one closed by `import type`) means two modules cannot be understood, moved or
// tested apart, and an arrow pointing the wrong way between rooms undoes the layout. This walks the real import graph
// of the product's own code and names every cycle and every wrong arrow it finds.

const ROOT = path.resolve(__dirname, "../..");
const SCANNED = ["emulator", "lib", "app", "components"];
const compilerOptions: ts.CompilerOptions = {
  baseUrl: ROOT,
  paths: { "@/*": ["./*"] },
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  module: ts.ModuleKind.ESNext,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
};

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every project file a module imports (static, type-only, re-exports and dynamic imports alike). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    const resolved = ts.resolveModuleName(fileName, file, compilerOptions, ts.sys).resolvedModule?.resolvedFileName;
    return resolved && resolved.startsWith(ROOT) && !resolved.includes("node_modules") ? [resolved] : [];
  });
}

/** Tarjan's strongly connected components of more than one module, or of one module importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(path.relative(ROOT, member));
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe("import graph", () => {
  const files = SCANNED.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
  const graph = new Map(files.map((file) => [file, importsOf(file)]));

  it("resolves the project's own imports (the check sees the real graph)", () => {
    const controlPlane = path.join(ROOT, "emulator/elasticache/control-plane.ts");
    expect(graph.get(path.join(ROOT, "emulator/emulator.ts"))).toContain(controlPlane);
    expect(files.length).toBeGreaterThan(100);
  });

  it("finds a cycle when there is one", () => {
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c"]]);
  });

  it("has no import cycle in emulator/, lib/, app/ or components/", () => {
    expect(cycles(graph)).toEqual([]);
  });

  /** Every import from a module under `from` to one under `to`, as "importer -> imported". */
  const arrows = (from: RegExp, to: RegExp) =>
    [...graph].flatMap(([file, imports]) => {
      const importer = path.relative(ROOT, file);
      return from.test(importer) ? imports.map((i) => path.relative(ROOT, i)).filter((i) => to.test(i)).map((i) => `${importer} -> ${i}`) : [];
    });

  it("keeps the emulator's ElastiCache rooms one way: api -> workflows -> state", () => {
    expect(arrows(/^emulator\/elasticache\/state\//, /^emulator\/elasticache\/(api|workflows)\/|control-plane/)).toEqual([]);
    expect(arrows(/^emulator\/elasticache\/workflows\//, /^emulator\/elasticache\/api\//)).toEqual([]);
  });

  it("lets only the control plane reach the node processes' supervisor", () => {
    expect(arrows(/^emulator\/(?!nodes\/|elasticache\/control-plane\.ts$)/, /^emulator\/nodes\/supervisor\.ts$/)).toEqual([]);
  });

  it("keeps the dashboard and the emulator apart", () => {
    expect(arrows(/^(app|components|lib)\//, /^emulator\//)).toEqual([]);
    expect(arrows(/^emulator\//, /^(app|components|lib)\//)).toEqual([]);
  });
});
