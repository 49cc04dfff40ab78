import { z } from "@/lib/zod";

export const rangePresets = {
  "15m": { seconds: 15 * 60, label: "Last 15 minutes" },
  "1h": { seconds: 3600, label: "Last hour" },
  "3h": { seconds: 3 * 3600, label: "Last 3 hours" },
  "12h": { seconds: 12 * 3600, label: "Last 12 hours" },
  "24h": { seconds: 24 * 3600, label: "Last 24 hours" },
  "7d": { seconds: 7 * 24 * 3600, label: "Last 7 days" },
} as const;

export type RangePreset = keyof typeof rangePresets;
export type RangeKey = RangePreset | "custom";
export const defaultRange: RangePreset = "1h";

export interface TimeWindow {
  range: RangeKey;
  /** Epoch milliseconds; start inclusive, end exclusive, as GetMetricData reads them. */
  start: number;
  end: number;
  /** Seconds per data point. */
  period: number;
  label: string;
}

/** Periods we ask CloudWatch for: high resolution (under 60 s) exists only for the last 3 hours. */
const candidatePeriods = [10, 60, 120, 300, 600, 900, 1800, 3600, 10_800, 21_600, 86_400];
const hour = 3600 * 1000;
const day = 24 * hour;
export const maxCustomRangeMs = 90 * day;

/** Charts stay readable (and responses small) below this many points per series. */
export const chartPoints = 300;
/** Fleet-row trend lines need far fewer. */
export const sparklinePoints = 40;

/**
 * The smallest period that keeps a series under `maxPoints` and that CloudWatch still has data for at `start`:
 * sub-minute points live 3 hours, 1-minute points 15 days, 5-minute points 63 days, hourly points beyond.
 */
export function choosePeriod(start: number, end: number, now: number, maxPoints: number): number {
  const age = now - start;
  const finest = age > 63 * day ? 3600 : age > 15 * day ? 300 : age > 3 * hour ? 60 : 10;
  const span = Math.max(end - start, 1000) / 1000;
  return candidatePeriods.find((p) => p >= finest && span / p <= maxPoints) ?? candidatePeriods.at(-1)!;
}

/** A date without a zone (as a datetime-local input sends it) is taken as UTC, the zone the pages show. */
export function parseUtc(text: string): number {
  return Date.parse(/(z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`);
}

const isoDate = z.string().refine((s) => !Number.isNaN(parseUtc(s)), { message: "is not a date" });

export const rangeParamsSchema = z.object({
  range: z.enum([...(Object.keys(rangePresets) as RangePreset[]), "custom"]).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type RangeParams = z.input<typeof rangeParamsSchema>;

export interface ResolvedWindow {
  window: TimeWindow;
  /** Why the requested range was not used, for the page to say so. */
  notice?: string;
}

function formatShort(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function presetWindow(range: RangePreset, now: number, maxPoints: number): TimeWindow {
  const start = now - rangePresets[range].seconds * 1000;
  return { range, start, end: now, period: choosePeriod(start, now, now, maxPoints), label: rangePresets[range].label };
}

/** Reads `range` (and `from`/`to` for custom) from a page's search params; anything unusable falls back to 1 h. */
export function resolveTimeWindow(params: RangeParams, now: number, maxPoints = chartPoints): ResolvedWindow {
  const parsed = rangeParamsSchema.safeParse(params);
  if (!parsed.success) {
    return { window: presetWindow(defaultRange, now, maxPoints), notice: "Unknown time range; showing the last hour." };
  }
  const { range = defaultRange, from, to } = parsed.data;
  if (range !== "custom") return { window: presetWindow(range, now, maxPoints) };

  const start = from ? parseUtc(from) : Number.NaN;
  const end = Math.min(to ? parseUtc(to) : now, now);
  const problem =
    Number.isNaN(start) ? "A custom range needs a start time."
    : start >= end ? "The custom range must start before it ends (and before now)."
    : end - start > maxCustomRangeMs ? "A custom range can span at most 90 days."
    : undefined;
  if (problem) return { window: presetWindow(defaultRange, now, maxPoints), notice: `${problem} Showing the last hour.` };
  return {
    window: { range, start, end, period: choosePeriod(start, end, now, maxPoints), label: `${formatShort(start)} – ${formatShort(end)}` },
  };
}

/**
 * The window at which health is judged: the fleet's sparkline resolution, used on cluster pages too, so a cluster's
 * page and its fleet row name the same problems.
 */
export function healthWindow(window: TimeWindow, now: number): TimeWindow {
  return withMaxPoints(window, now, sparklinePoints);
}

/** The same window at a coarser period, for sparklines. */
export function withMaxPoints(window: TimeWindow, now: number, maxPoints: number): TimeWindow {
  return { ...window, period: choosePeriod(window.start, window.end, now, maxPoints) };
}

export function formatPeriod(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${seconds / 60} min`;
  if (seconds < 86_400) return `${seconds / 3600} h`;
  return `${seconds / 86_400} d`;
}

/** The instant a request is served; server components render once per request, so reading the clock is safe there. */
export function requestTime(): number {
  return Date.now();
}
