import type { Values } from "@/lib/data/series";

/** A tiny inline SVG trend: rendered on the server, so the fleet page ships no chart library. */
export function Sparkline({ values, label, max, tone = "slate" }: { values: Values | undefined; label: string; max?: number; tone?: "slate" | "red" | "amber" }) {
  const points = (values ?? []).map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  if (points.length < 2) return null;
  const width = 48;
  const height = 18;
  const top = Math.max(max ?? 0, ...points.map((p) => p[1]), Number.EPSILON);
  const n = Math.max((values?.length ?? 1) - 1, 1);
  const d = points.map(([i, v], k) => `${k ? "L" : "M"}${((i / n) * width).toFixed(1)},${(height - 1 - (v / top) * (height - 2)).toFixed(1)}`).join("");
  const stroke = tone === "red" ? "stroke-red-600 dark:stroke-red-400" : tone === "amber" ? "stroke-amber-600 dark:stroke-amber-400" : "stroke-slate-500 dark:stroke-slate-400";
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label} trend`} className="inline-block align-middle">
      <path d={d} fill="none" className={stroke} strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
}
