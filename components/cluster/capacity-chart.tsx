import { DAY_MS, HORIZON_DAYS, trendAt } from "@/lib/capacity/forecast";
import type { CacheCapacity } from "@/lib/data/capacity";

const W = 640;
const H = 200;
const PAD = { left: 36, right: 12, top: 10, bottom: 22 };
const day = (t: number) => new Date(t).toISOString().slice(5, 10);

/**
 * Daily memory peaks (percent of maxmemory) with their least-squares trend, drawn on to the day it reaches 100%
 * (dashed: the projection), or 30 days on when it does not within the horizon. Plain SVG: no chart library, no script.
 */
export function CapacityChart({ capacity, now }: { capacity: CacheCapacity; now: number }) {
  const { memory } = capacity;
  const f = capacity.forecast.memory;
  const first = memory.days[0];
  const last = memory.days[memory.days.length - 1];
  const projectTo = f?.reachesAt ?? Math.min(now + 30 * DAY_MS, now + HORIZON_DAYS * DAY_MS);
  const end = Math.max(last + DAY_MS, projectTo);
  const x = (t: number) => PAD.left + ((t - first) / (end - first)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - Math.max(0, Math.min(110, v)) / 110) * (H - PAD.top - PAD.bottom);
  const points = memory.days.map((t, i) => `${x(t).toFixed(1)},${y(memory.values[i]).toFixed(1)}`).join(" ");
  const trend = f?.trend;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-2xl text-slate-500" role="img" aria-label={`Daily memory peaks over ${memory.days.length} days with their trend${f?.reachesAt ? `, reaching 100% on ${new Date(f.reachesAt).toISOString().slice(0, 10)}` : ""}`} data-testid="capacity-chart">
      {[0, 50, 90, 100].map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="currentColor" strokeOpacity={v === 100 ? 0.9 : 0.2} strokeDasharray={v >= 90 ? "4 3" : undefined} className={v === 100 ? "text-red-600" : v === 90 ? "text-amber-600" : undefined} />
          <text x={PAD.left - 4} y={y(v) + 3} textAnchor="end" fontSize="10" fill="currentColor">{v}%</text>
        </g>
      ))}
      <text x={PAD.left} y={H - 6} fontSize="10" fill="currentColor">{day(first)}</text>
      <text x={x(now)} y={H - 6} fontSize="10" fill="currentColor" textAnchor="middle">today</text>
      <text x={W - PAD.right} y={H - 6} fontSize="10" fill="currentColor" textAnchor="end">{day(end)}</text>
      <line x1={x(now)} x2={x(now)} y1={PAD.top} y2={H - PAD.bottom} stroke="currentColor" strokeOpacity={0.3} />
      <polyline points={points} fill="none" stroke="#0369a1" strokeWidth={2} data-testid="capacity-peaks" />
      {memory.days.map((t, i) => <circle key={t} cx={x(t)} cy={y(memory.values[i])} r={2.5} fill="#0369a1" />)}
      {trend && (
        <>
          <line x1={x(first)} y1={y(trendAt(trend, first))} x2={x(last)} y2={y(trendAt(trend, last))} stroke="#7c3aed" strokeWidth={1.5} data-testid="capacity-trend" />
          <line x1={x(last)} y1={y(trendAt(trend, last))} x2={x(projectTo)} y2={y(trendAt(trend, projectTo))} stroke="#7c3aed" strokeWidth={1.5} strokeDasharray="6 4" data-testid="capacity-projection" />
        </>
      )}
    </svg>
  );
}
