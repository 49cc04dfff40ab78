"use client";

import { useEffect, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartModel, EventView } from "@/lib/data/model";
import { downsampleRows } from "@/lib/data/series";
import { formatAxisTime, formatTime, formatValue } from "@/components/ui/format";
import { requestTurn, turnDrawn } from "./render-turns";

/** Distinguishable in both themes and for common colour-vision deficiencies (Okabe–Ito order). */
const palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];

export interface ChartMarker {
  t: number;
  label: string;
  failover: boolean;
  /** An alarm's new state (a recommended alarm's history), instead of an event. */
  alarm?: "OK" | "ALARM" | "INSUFFICIENT_DATA";
}

/** Alarm markers: red into ALARM, green back to OK, grey to insufficient data; labelled, so colour is not the only cue. */
const alarmColours = { ALARM: "#D55E00", OK: "#009E73", INSUFFICIENT_DATA: "#999999" } as const;

function markerLine(m: ChartMarker, key: string) {
  if (m.alarm) {
    return (
      <ReferenceLine key={key} x={m.t} className={`marker-alarm marker-alarm-${m.alarm.toLowerCase()}`} stroke={alarmColours[m.alarm]} strokeDasharray="6 3" strokeWidth={2} ifOverflow="hidden" label={{ value: m.alarm === "INSUFFICIENT_DATA" ? "no data" : m.alarm, position: "insideTopRight", fill: alarmColours[m.alarm], fontSize: 10 }} />
    );
  }
  return (
    <ReferenceLine key={key} x={m.t} className={m.failover ? "marker-failover" : "marker-event"} stroke={m.failover ? "#D55E00" : "#94a3b8"} strokeDasharray={m.failover ? undefined : "2 2"} strokeWidth={m.failover ? 2 : 1} ifOverflow="hidden" label={m.failover ? { value: "failover", position: "insideTopLeft", fill: "#D55E00", fontSize: 10 } : undefined} />
  );
}

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

/** Percent axes end at a round figure above the data, so 3% of CPU is not drawn as a full-height line. */
function percentCeiling(max: number): number {
  return [10, 25, 50, 100].find((ceiling) => max <= ceiling) ?? Math.ceil(max / 10) * 10;
}

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

function Drawing({ chart, start, end, markers, width }: DrawingProps & { width: number }) {
  const many = chart.lines.length > manyLines;
  const rows = downsampleRows(chart.rows, chart.lines.map((l) => l.key), (width - plotInset) / pixelsPerPoint);
  return (
    <LineChart width={width} height={chartHeight} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-700" />
      <XAxis dataKey="t" type="number" scale="time" domain={[start, end]} tickFormatter={(t: number) => formatAxisTime(t, end - start)} stroke="currentColor" tick={{ fill: "currentColor" }} minTickGap={24} />
      <YAxis tickFormatter={(v: number) => formatValue(v, chart.unit)} stroke="currentColor" tick={{ fill: "currentColor" }} width={76} domain={chart.unit === "percent" ? [0, percentCeiling] : [0, "auto"]} allowDecimals />
      <Tooltip
        labelFormatter={(t) => formatTime(Number(t), true)}
        formatter={(v) => formatValue(typeof v === "number" ? v : null, chart.unit)}
        contentStyle={{ background: "var(--tooltip-bg, #fff)", color: "var(--tooltip-fg, #0f172a)", fontSize: 12 }}
      />
      {chart.lines.length > 1 && !many && <Legend wrapperStyle={{ fontSize: 11 }} />}
      {markers.map((m, i) => markerLine(m, `${m.t}-${i}`))}
      {chart.lines.map((line, i) => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.label}
          type={many ? "linear" : "monotone"}
          stroke={line.emphasis ? "currentColor" : palette[i % palette.length]}
          strokeWidth={line.emphasis ? 2.5 : many ? 1 : 1.5}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
