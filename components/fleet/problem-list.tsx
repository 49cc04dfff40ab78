import type { FleetRow } from "@/lib/data/fleet-rows";

export function ProblemList({ c }: { c: FleetRow }) {
  if (c.health.problems.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs" aria-label={`Problems of ${c.id}`}>
      {c.health.problems.map((p) => (
        <li key={p.code + p.summary} className={p.level === "critical" ? "text-red-700 dark:text-red-300" : "text-amber-800 dark:text-amber-300"}>
          {p.level === "critical" ? "■" : "▲"} {p.summary}
        </li>
      ))}
    </ul>
  );
}
