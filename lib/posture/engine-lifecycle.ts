import { engineCalendar, type CalendarEntry } from "./engine-calendar";

// Judges a cache's engine version against ElastiCache's support calendar (engine-calendar.ts) on a given day. Pure:
// "today" is an argument, so tests set the clock and the watcher passes its own.

export type LifecycleState = "supported" | "standard-ends-soon" | "extended-support" | "past-extended-support" | "unknown";

/** Within this many days of the end of standard support a cache is flagged (the fleet filter's window). */
export const endsSoonDays = 90;

export interface Lifecycle {
  state: LifecycleState;
  /** "Redis OSS 6", "Valkey 8", "Memcached 1". */
  label: string;
  /** One line for the fleet table. */
  summary: string;
  /** From the calendar entry, null when the version has none. */
  standardSupportEnds: string | null;
  extendedSupportEnds: string | null;
  automaticUpgradeAfter: string | null;
  /** Days left of standard support (0 on its last day); null once it ended or when there is no end. */
  daysLeft: number | null;
  /** First day of Extended Support (the day after standard support ends). */
  extendedSince: string | null;
  /** Months of Extended Support billed if the cache were upgraded today (AWS bills per month of enrolment). */
  monthsBilled: number | null;
}

const dayMs = 86_400_000;
const engineNames: Record<string, string> = { redis: "Redis OSS", valkey: "Valkey", memcached: "Memcached" };

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / dayMs;
}

function isoDay(n: number): string {
  return new Date(n * dayMs).toISOString().slice(0, 10);
}

/** "31 January 2027": how the calendar's days read on pages and in the export. */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** The oldest major of a version string ("6.2.6", "7.0.7 / 7.1.0" mid-upgrade, serverless "8"); null if none reads. */
export function majorOf(engineVersion: string | null): number | null {
  const majors = (engineVersion ?? "").split("/").map((v) => Number.parseInt(v.trim(), 10)).filter(Number.isFinite);
  return majors.length ? Math.min(...majors) : null;
}

/** Whole months billed from enrolment to `today`: a month counts once any day of it is enrolled before today. */
function monthsBetween(since: string, today: string): number {
  const [sy, sm] = since.split("-").map(Number);
  const [ty, tm, td] = today.split("-").map(Number);
  return Math.max(0, ty * 12 + tm - (sy * 12 + sm) + (td > 1 ? 1 : 0));
}

const none = { standardSupportEnds: null, extendedSupportEnds: null, automaticUpgradeAfter: null, daysLeft: null, extendedSince: null, monthsBilled: null };

export function judgeLifecycle(engine: string, engineVersion: string | null, today: Date, calendar: CalendarEntry[] = engineCalendar.entries): Lifecycle {
  const major = majorOf(engineVersion);
  const name = engineNames[engine] ?? engine;
  if (major === null) return { ...none, state: "unknown", label: name, summary: "Engine version not read" };
  const label = `${name} ${major}`;
  const entries = calendar.filter((e) => e.engine === engine);
  const entry = entries.find((e) => e.major === major);
  if (!entry) {
    // Older than every dated entry: its support ended before the calendar CacheDeck keeps, so no date is guessed.
    if (entries.length > 0 && major < Math.min(...entries.map((e) => e.major))) {
      return { ...none, state: "unknown", label, summary: `${label} is older than CacheDeck's support calendar: check AWS's page` };
    }
    return { ...none, state: "supported", label, summary: engineCalendar.noPublishedEnd };
  }
  const day = today.toISOString().slice(0, 10);
  const now = dayNumber(day);
  const standardEnd = dayNumber(entry.standardSupportEnds);
  const extendedSince = isoDay(standardEnd + 1);
  const dates = { standardSupportEnds: entry.standardSupportEnds, extendedSupportEnds: entry.extendedSupportEnds, automaticUpgradeAfter: entry.automaticUpgradeAfter, extendedSince };
  if (now <= standardEnd) {
    const daysLeft = standardEnd - now;
    const soon = daysLeft <= endsSoonDays;
    return {
      ...dates,
      state: soon ? "standard-ends-soon" : "supported",
      label,
      summary: soon ? `Standard support ends ${formatDay(entry.standardSupportEnds)} (${daysLeft === 0 ? "today" : `in ${daysLeft} days`})` : `Standard support until ${formatDay(entry.standardSupportEnds)}`,
      daysLeft,
      monthsBilled: null,
    };
  }
  const monthsBilled = monthsBetween(extendedSince, day);
  if (now <= dayNumber(entry.extendedSupportEnds)) {
    return { ...dates, state: "extended-support", label, summary: `Paid Extended Support since ${formatDay(extendedSince)}, until ${formatDay(entry.extendedSupportEnds)}`, daysLeft: null, monthsBilled };
  }
  return { ...dates, state: "past-extended-support", label, summary: `Extended Support ended ${formatDay(entry.extendedSupportEnds)}: AWS upgrades it automatically`, daysLeft: null, monthsBilled };
}

/** How urgent each state is, for sorting (higher: sooner to act on). */
export const lifecycleRank: Record<LifecycleState, number> = { unknown: 0, supported: 1, "standard-ends-soon": 2, "extended-support": 3, "past-extended-support": 4 };

/** Labels of the states people filter by, as the fleet's menu shows them. */
export const lifecycleFilterLabels = {
  "standard-ends-soon": `Ends standard support within ${endsSoonDays} days`,
  "extended-support": "In Extended Support",
  "past-extended-support": "Past Extended Support",
} as const;
export type LifecycleFilter = keyof typeof lifecycleFilterLabels;
