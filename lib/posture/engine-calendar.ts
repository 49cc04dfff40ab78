// ElastiCache's published support calendar, as data: one entry per engine major version AWS has announced dates for.
// To update it, change the dates here, the source if it moved, and `checked` (the day someone compared this file with
// AWS's page); docs/posture.md explains each field. Dates are UTC calendar days (the last day of a period, inclusive).

export interface CalendarEntry {
  engine: "redis" | "valkey" | "memcached";
  /** The engine's major version ("6" covers 6.0 and 6.2). */
  major: number;
  /** How AWS names it. */
  label: string;
  /** Last day of standard support. */
  standardSupportEnds: string;
  /** Last day of paid Extended Support (enrolment is automatic the day after standard support ends). */
  extendedSupportEnds: string;
  /** AWS upgrades caches still on this version automatically after this day. */
  automaticUpgradeAfter: string;
  /** What a date here rests on when AWS's page states it only as a rule. */
  note?: string;
}

export const engineCalendar = {
  source: {
    name: "Amazon ElastiCache User Guide: ElastiCache Extended Support (and the end-of-standard-support announcements)",
    url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html",
  },
  checked: "2026-12-04",
  /** Said for an engine version that has no entry (Valkey, Redis OSS 7, Memcached): AWS has not announced an end. */
  noPublishedEnd: "No published end of standard support",
  entries: [
    { engine: "redis", major: 4, label: "Redis OSS 4", standardSupportEnds: "2026-01-31", extendedSupportEnds: "2029-01-31", automaticUpgradeAfter: "2029-01-31" },
    { engine: "redis", major: 5, label: "Redis OSS 5", standardSupportEnds: "2026-01-31", extendedSupportEnds: "2029-01-31", automaticUpgradeAfter: "2029-01-31" },
    {
      engine: "redis",
      major: 6,
      label: "Redis OSS 6",
      standardSupportEnds: "2027-01-31",
      extendedSupportEnds: "2030-01-31",
      automaticUpgradeAfter: "2030-01-31",
      note: "Extended Support lasts up to three years after standard support ends, as for Redis OSS 4 and 5.",
    },
  ] satisfies CalendarEntry[] as CalendarEntry[],
};
