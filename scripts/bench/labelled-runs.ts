import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// Benchmarks whose runs are kept by label in a JSON file (docs/benchmarks/*-runs.json) and shown side by side, so a
// run of today's code sits next to the figures of the code before it.

export type Figures = Record<string, string>;
export type Runs = Record<string, Figures>;

/** Adds or replaces the run `label` in `file`; returns every run kept there. */
export function saveRun(file: string, label: string, figures: Figures): Runs {
  const runs = (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {}) as Runs;
  runs[label] = figures;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(runs, null, 2)}\n`);
  return runs;
}

/** A markdown table with a column per run and a row per figure; `notes` (machine, date) are left to the footnotes. */
export function runsTable(runs: Runs, notes: readonly string[]): string[] {
  const labels = Object.keys(runs);
  const rows = [...new Set(labels.flatMap((l) => Object.keys(runs[l])))].filter((row) => !notes.includes(row));
  return [
    `| | ${labels.join(" | ")} |`,
    `|---|${labels.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row} | ${labels.map((l) => runs[l][row] ?? "—").join(" | ")} |`),
  ];
}
