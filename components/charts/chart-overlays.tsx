"use client";

import { useId } from "react";
import { usePlotArea, useXAxisScale, useYAxisScale, type TooltipContentProps } from "recharts";
import type { ChartLine, ChartUnit } from "@/lib/data/model";
import type { ChartRow } from "@/lib/data/series";
import { formatTime, formatValue } from "@/components/ui/format";
import { groupMarkers, groupTitle, linePath, type ChartMarker } from "./chart-geometry";

// What a chart draws on recharts' scales but outside recharts' store: its markers and, on a chart of many lines, the
// per-node lines. recharts 3 registers every <ReferenceLine> and <Line> in a Redux store, and each registration (and
// each removal at a redraw) notifies every component subscribed to it: drawing cost grew with the square of the
// elements. A 30-shard group's chart (90 node lines, an hour of events as markers) blocked the page for a second or
// more on its own; as plain SVG elements it takes milliseconds.

export type { ChartMarker };

/** Alarm markers: red into ALARM, green back to OK, grey to insufficient data; labelled, so colour is not the only cue. */
const alarmColours = { ALARM: "#D55E00", OK: "#009E73", INSUFFICIENT_DATA: "#999999" } as const;
const failoverColour = "#D55E00";

/** The plot area's clip, so nothing drawn on the scales spills over the axes. */
function useClip(): { id: string; rect: React.ReactNode } | null {
  // useId's characters are not all valid in a url(#…) reference.
  const id = `plot-clip${useId().replace(/[^\w-]/g, "")}`;
  const area = usePlotArea();
  if (!area) return null;
  return {
    id,
    rect: (
      <clipPath id={id}>
        <rect x={area.x} y={area.y} width={area.width} height={area.height} />
      </clipPath>
    ),
  };
}

/**
 * Vertical lines at events (a failover heavier and labelled) and alarm state changes, those on the same pixel drawn
 * once; each names its events on hover.
 */
export function MarkerLines({ markers }: { markers: ChartMarker[] }) {
  const x = useXAxisScale();
  const area = usePlotArea();
  const clip = useClip();
  if (!x || !area || !clip) return null;
  const top = area.y + 10;
  return (
    <g className="chart-markers" clipPath={`url(#${clip.id})`}>
      {clip.rect}
      {groupMarkers(markers, (t) => x(t)).map(({ px, markers: group }) => {
        const m = group[0];
        const line = { x1: px, x2: px, y1: area.y, y2: area.y + area.height };
        const title = <title>{groupTitle(group)}</title>;
        if (m.alarm) {
          const colour = alarmColours[m.alarm];
          return (
            <g key={`${m.alarm}-${m.t}`} className={`marker-alarm marker-alarm-${m.alarm.toLowerCase()}`}>
              {title}
              <line {...line} stroke={colour} strokeDasharray="6 3" strokeWidth={2} />
              <text x={px - 4} y={top} textAnchor="end" fill={colour} fontSize={10}>{m.alarm === "INSUFFICIENT_DATA" ? "no data" : m.alarm}</text>
            </g>
          );
        }
        return (
          <g key={`${m.failover}-${m.t}`} className={m.failover ? "marker-failover" : "marker-event"}>
            {title}
            {m.failover ? <line {...line} stroke={failoverColour} strokeWidth={2} /> : <line {...line} stroke="#94a3b8" strokeDasharray="2 2" strokeWidth={1} />}
            {m.failover && <text x={px + 4} y={top} fill={failoverColour} fontSize={10}>failover</text>}
          </g>
        );
      })}
    </g>
  );
}

export type ThinLine = ChartLine & { colour: string };

/** The per-node lines of a chart with many: one thin path each, whose title names its node on hover. */
export function ThinLines({ rows, lines }: { rows: ChartRow[]; lines: ThinLine[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const clip = useClip();
  if (!x || !y || !clip) return null;
  return (
    <g className="thin-lines" clipPath={`url(#${clip.id})`}>
      {clip.rect}
      {lines.map((line) => (
        <path key={line.key} className="thin-line" d={linePath(rows, line.key, (t) => x(t), (v) => y(v))} stroke={line.colour} strokeWidth={1} fill="none">
          <title>{line.label}</title>
        </path>
      ))}
    </g>
  );
}

/** A chart of many lines' tooltip: its heavier lines' values, and which thin line is highest and lowest then. */
export function SpreadTooltip({ active, label, payload, rows, thin, unit }: Pick<TooltipContentProps, "active" | "label" | "payload"> & { rows: ChartRow[]; thin: ThinLine[]; unit: ChartUnit }) {
  const row = active ? rows.find((r) => r.t === Number(label)) : undefined;
  if (!row) return null;
  const present = thin.filter((l) => row[l.key] !== null && row[l.key] !== undefined).sort((a, b) => (row[b.key] as number) - (row[a.key] as number));
  const entry = (name: string, value: number | null | undefined) => (
    <li key={name}>
      {name}: <span className="tabular-nums">{formatValue(value, unit)}</span>
    </li>
  );
  return (
    <div className="rounded border border-slate-300 p-2 text-xs shadow" style={{ background: "var(--tooltip-bg, #fff)", color: "var(--tooltip-fg, #0f172a)" }}>
      <p className="mb-1">{formatTime(row.t, true)}</p>
      <ul>
        {(payload ?? []).map((p) => entry(String(p.name), typeof p.value === "number" ? p.value : null))}
        {present.length > 0 && entry(`Highest, ${present[0].label}`, row[present[0].key])}
        {present.length > 1 && entry(`Lowest, ${present.at(-1)!.label}`, row[present.at(-1)!.key])}
      </ul>
    </div>
  );
}
