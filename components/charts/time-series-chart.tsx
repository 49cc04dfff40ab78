"use client";

import { memo, useEffect, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartModel, EventView } from "@/lib/data/model";
import { downsampleRows } from "@/lib/data/series";
import { formatAxisTime, formatTime, formatValue } from "@/components/ui/format";
import { highest, percentCeiling, roundCeiling } from "./chart-geometry";
import { MarkerLines, SpreadTooltip, ThinLines, type ChartMarker } from "./chart-overlays";
import { requestTurn, turnDrawn } from "./render-turns";

export type { ChartMarker };

/** Distinguishable in both themes and for common colour-vision deficiencies (Okabe–Ito order). */
const palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];

export function toMarkers(events: EventView[], start: number, end: number): ChartMarker[] {
  return events.filter((e) => e.t >= start && e.t <= end && e.category !== "other").map((e) => ({ t: e.t, label: e.message, failover: e.category === "failover" }));
}

/** What a screen reader hears instead of the drawing: each line's most recent value. */
function latestValues(chart: ChartModel): string {
  return chart.lines
    .map((line) => {
      const last = [...chart.rows].reverse().find((r) => r[line.key] !== null && r[line.key] !== undefined);
      return `${line.label} ${formatValue(last ? (last[line.key] as number) : null, chart.unit)}`;
    })
    .join(", ");
}

/** Above this many lines a legend is a wall of names and each line a thread; lines get thinner and straight. */
const manyLines = 12;
const chartHeight = 192;
/** The y axis and margins; the rest of the width is where points go. */
const plotInset = 92;
/** Two pixels a point: denser than that only costs drawing time. */
const pixelsPerPoint = 2;

export function TimeSeriesChart({ chart, start, end, markers }: { chart: ChartModel; start: number; end: number; markers: ChartMarker[] }) {
  const points = chart.rows.filter((r) => chart.lines.some((l) => r[l.key] !== null && r[l.key] !== undefined)).length;
  return (
    <figure className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid={`chart-${chart.id}`} data-points={points} data-lines={chart.lines.map((l) => l.label).join("|")} data-alarm-markers={markers.filter((m) => m.alarm).map((m) => m.alarm).join(" ") || undefined}>
      <figcaption className="mb-1 text-sm font-medium">
        {chart.title}
        {points > 0 && !chart.emptyText && <span className="sr-only">. Latest: {latestValues(chart)}</span>}
      </figcaption>
      {chart.emptyText ? (
        <p className="flex h-48 items-center justify-center text-sm text-slate-500 dark:text-slate-400">{chart.emptyText}</p>
      ) : points === 0 ? (
        <p className="flex h-48 items-center justify-center text-center text-sm text-slate-500 dark:text-slate-400">
          No data points in this window yet. CloudWatch publishes ElastiCache metrics every minute.
        </p>
      ) : (
        <DeferredDrawing chart={chart} start={start} end={end} markers={markers} />
      )}
    </figure>
  );
}

type DrawingProps = { chart: ChartModel; start: number; end: number; markers: ChartMarker[] };

/**
 * The drawing, once the chart is near the screen (or the browser is idle) and its turn has come: a cluster of 90
 * nodes has charts of 90 lines, and drawing them all at once blocked the page for seconds. Drawn at the measured
 * width, with no more points than it has pixels for; new data or a new width waits for a turn as well.
 */
function DeferredDrawing({ chart, start, end, markers }: DrawingProps) {
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  const [onScreen, setOnScreen] = useState(false);
  const [drawn, setDrawn] = useState<{ props: DrawingProps; width: number } | null>(null);

  useEffect(() => {
    if (!box) return;
    const sizes = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    const sight = new IntersectionObserver(([entry]) => setOnScreen(entry.isIntersecting), { rootMargin: "200px 0px" });
    sizes.observe(box);
    sight.observe(box);
    return () => {
      sizes.disconnect();
      sight.disconnect();
    };
  }, [box]);

  const stale = width > 0 && (drawn === null || drawn.width !== width || drawn.props.chart !== chart || drawn.props.markers !== markers || drawn.props.start !== start);
  useEffect(() => {
    if (!stale) return;
    return requestTurn(() => setDrawn({ props: { chart, start, end, markers }, width }), onScreen);
  }, [stale, onScreen, chart, start, end, markers, width]);

  useEffect(() => {
    if (drawn) turnDrawn();
  }, [drawn]);

  return (
    <div ref={setBox} className="h-48 text-xs" data-drawn={drawn ? "true" : undefined}>
      {drawn ? <Drawing {...drawn.props} width={drawn.width} /> : <div className="h-full animate-pulse rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true" />}
    </div>
  );
}

/** Memoised: a page re-render (a pushed role change, the live status) leaves drawn charts alone; new data waits for a turn. */
const Drawing = memo(function Drawing({ chart, start, end, markers, width }: DrawingProps & { width: number }) {
  const many = chart.lines.length > manyLines;
  const rows = downsampleRows(chart.rows, chart.lines.map((l) => l.key), (width - plotInset) / pixelsPerPoint);
  const coloured = chart.lines.map((line, i) => ({ ...line, colour: line.emphasis ? "currentColor" : palette[i % palette.length] }));
  // Many lines: the nodes' thin lines are paths of our own (chart-overlays.tsx), so recharts knows only the heavier
  // ones and the y axis is set here from every line's values.
  const thin = many ? coloured.filter((l) => !l.emphasis) : [];
  const heavy = many ? coloured.filter((l) => l.emphasis) : coloured;
  const top = many ? highest(rows, chart.lines.map((l) => l.key)) : 0;
  const yTop = chart.unit === "percent" ? (many ? percentCeiling(top) : percentCeiling) : many ? roundCeiling(top) : "auto";
  return (
    <LineChart width={width} height={chartHeight} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-700" />
      <XAxis dataKey="t" type="number" scale="time" domain={[start, end]} tickFormatter={(t: number) => formatAxisTime(t, end - start)} stroke="currentColor" tick={{ fill: "currentColor" }} minTickGap={24} />
      <YAxis type="number" tickFormatter={(v: number) => formatValue(v, chart.unit)} stroke="currentColor" tick={{ fill: "currentColor" }} width={76} domain={[0, yTop]} allowDecimals />
      {many ? (
        <Tooltip content={({ active, label, payload }) => <SpreadTooltip active={active} label={label} payload={payload?.filter((p) => heavy.some((l) => l.key === p.dataKey))} rows={rows} thin={thin} unit={chart.unit} />} />
      ) : (
        <Tooltip
          labelFormatter={(t) => formatTime(Number(t), true)}
          formatter={(v) => formatValue(typeof v === "number" ? v : null, chart.unit)}
          contentStyle={{ background: "var(--tooltip-bg, #fff)", color: "var(--tooltip-fg, #0f172a)", fontSize: 12 }}
        />
      )}
      {chart.lines.length > 1 && !many && <Legend wrapperStyle={{ fontSize: 11 }} />}
      <MarkerLines markers={markers} />
      {many && <ThinLines rows={rows} lines={thin} />}
      {/* recharts draws no y axis and no tooltip without a line of its own: an invisible one (a thin line's) anchors them. */}
      {many && heavy.length === 0 && <Line dataKey={thin[0].key} stroke="none" dot={false} activeDot={false} legendType="none" isAnimationActive={false} />}
      {heavy.map((line) => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.label}
          type={many ? "linear" : "monotone"}
          stroke={line.colour}
          strokeWidth={line.emphasis ? 2.5 : 1.5}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
});
