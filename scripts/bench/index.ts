import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// Runs every scripts/bench/*.bench.ts (or those named on the command line) and writes each one's markdown into its
// own section of docs/BENCHMARKS.md, so benchmarks of different parts can be re-run independently.

const DOC = path.join(__dirname, "..", "..", "docs", "BENCHMARKS.md");
const HEADER = "# Benchmarks\n\nFigures from `npm run bench` (or `npm run bench -- <name>` for one section). Each section names its machine.\n";

async function main() {
  const only = process.argv.slice(2);
  const benches = readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .map((f) => f.slice(0, -".bench.ts".length))
    .filter((name) => only.length === 0 || only.includes(name))
    .sort();
  if (benches.length === 0) throw new Error(`No benchmark matches ${only.join(", ")}`);
  for (const name of benches) {
    console.log(`bench: ${name} ...`);
    const mod = (await import(path.join(__dirname, `${name}.bench.ts`))) as { default: () => Promise<string> };
    const markdown = await mod.default();
    writeSection(name, markdown.trim());
    console.log(markdown);
  }
}

function writeSection(name: string, markdown: string) {
  let doc: string;
  try {
    doc = readFileSync(DOC, "utf8");
  } catch {
    doc = HEADER;
  }
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n${markdown}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc = from >= 0 && to > from ? doc.slice(0, from) + section + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, doc);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
