import type { ChartUnit } from "@/lib/data/model";
import { formatSeconds } from "@/lib/duration";

const dash = "—";

export function formatPercent(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined) return dash;
  return `${v.toFixed(v < 10 && digits === 0 ? 1 : digits)}%`;
}

export function formatCount(v: number | null | undefined): string {
  if (v === null || v === undefined) return dash;
  if (Math.abs(v) >= 1e9) return `${(v / 1e9).toFixed(1)}B`;
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  return Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(v < 10 ? 2 : 1);
}

/** A whole count in full, with thousands separators: "5,999". */
export function formatInteger(v: number | null | undefined): string {
  return v === null || v === undefined ? dash : Math.round(v).toLocaleString("en-US");
}

/** Dollars as people read a bill: "$1,234" from $1,000 on, cents below. */
export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined) return dash;
  return Math.abs(v) >= 1000 ? `$${Math.round(v).toLocaleString("en-US")}` : `$${v.toFixed(2)}`;
}

export function formatBytes(v: number | null | undefined): string {
  if (v === null || v === undefined) return dash;
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = v;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}

/** Below 10 µs a decimal, or an axis from 0 to 2 µs reads "0, 1, 1, 2, 2". */
function formatMicroseconds(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(1)} ms`;
  return v < 10 && v !== 0 ? `${v.toFixed(1)} µs` : `${Math.round(v)} µs`;
}

export function formatValue(v: number | null | undefined, unit: ChartUnit): string {
  switch (unit) {
    case "percent":
      return formatPercent(v);
    case "seconds":
      return formatSeconds(v);
    case "bytes":
      return formatBytes(v);
    case "bytesPerSecond":
      return v === null || v === undefined ? dash : `${formatBytes(v)}/s`;
    case "perSecond":
      return v === null || v === undefined ? dash : `${formatCount(v)}/s`;
    case "microseconds":
      return v === null || v === undefined ? dash : formatMicroseconds(v);
    default:
      return formatCount(v);
  }
}

/** UTC, so every operator reading a shared link sees the same times. */
export function formatTime(ms: number, withDate = false): string {
  const iso = new Date(ms).toISOString();
  return withDate ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso.slice(11, 16);
}

/** Axis labels: dates beyond a day and a half, seconds under ten minutes (a drill's chart spans a few minutes and
 * would otherwise repeat "08:38" on several ticks). */
export function formatAxisTime(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  if (spanMs > 36 * 3600 * 1000) return iso.slice(5, 10);
  return spanMs < 10 * 60 * 1000 ? iso.slice(11, 19) : iso.slice(11, 16);
}
