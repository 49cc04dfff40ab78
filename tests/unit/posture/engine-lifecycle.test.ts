import { describe, expect, it } from "vitest";
import { engineCalendar } from "@/lib/posture/engine-calendar";
import { judgeLifecycle, majorOf } from "@/lib/posture/engine-lifecycle";

const on = (day: string) => new Date(`${day}T12:00:00Z`);

describe("engine lifecycle at the calendar's boundary days", () => {
  it("Redis OSS 6: supported until 90 days before 31 January 2027, then flagged with the date and days left", () => {
    expect(judgeLifecycle("redis", "6.2.6", on("2026-11-01"))).toMatchObject({ state: "supported", daysLeft: 91, summary: "Standard support until 31 January 2027" });
    expect(judgeLifecycle("redis", "6.2.6", on("2026-11-02"))).toMatchObject({ state: "standard-ends-soon", daysLeft: 90, summary: "Standard support ends 31 January 2027 (in 90 days)" });
    expect(judgeLifecycle("redis", "6.2", on("2026-12-04"))).toMatchObject({ state: "standard-ends-soon", daysLeft: 58, label: "Redis OSS 6" });
  });

  it("31 January 2027 is the last day of standard support; 1 February 2027 is Extended Support", () => {
    expect(judgeLifecycle("redis", "6.0", on("2027-01-31"))).toMatchObject({ state: "standard-ends-soon", daysLeft: 0, summary: "Standard support ends 31 January 2027 (today)", monthsBilled: null });
    // The first minute of the day already counts: the day, not the hour, decides.
    expect(judgeLifecycle("redis", "6.0", new Date("2027-02-01T00:00:00Z"))).toMatchObject({
      state: "extended-support",
      extendedSince: "2027-02-01",
      extendedSupportEnds: "2030-01-31",
      automaticUpgradeAfter: "2030-01-31",
      daysLeft: null,
      monthsBilled: 0,
      summary: "Paid Extended Support since 1 February 2027, until 31 January 2030",
    });
    expect(judgeLifecycle("redis", "6.0", new Date("2027-01-31T23:59:59Z")).state).toBe("standard-ends-soon");
  });

  it("Redis OSS 4 and 5 are in Extended Support since 1 February 2026, billed per month (AWS's example: 11 months on 1 January 2027)", () => {
    expect(judgeLifecycle("redis", "5.0.6", on("2026-12-04"))).toMatchObject({ state: "extended-support", extendedSince: "2026-02-01", monthsBilled: 11 });
    expect(judgeLifecycle("redis", "4.0.10", on("2027-01-01"))).toMatchObject({ state: "extended-support", monthsBilled: 11 });
    expect(judgeLifecycle("redis", "4.0.10", on("2027-01-02")).monthsBilled).toBe(12);
    expect(judgeLifecycle("redis", "5.0.6", on("2029-01-31")).state).toBe("extended-support");
    expect(judgeLifecycle("redis", "5.0.6", on("2029-02-01"))).toMatchObject({ state: "past-extended-support", summary: "Extended Support ended 31 January 2029: AWS upgrades it automatically" });
  });

  it("Valkey, Redis OSS 7 and Memcached have no published end; versions older than the calendar are not guessed", () => {
    for (const [engine, version] of [["valkey", "8.0"], ["redis", "7.1"], ["memcached", "1.6.22"], ["valkey", "8"]]) {
      expect(judgeLifecycle(engine, version, on("2026-12-04"))).toMatchObject({ state: "supported", summary: "No published end of standard support", standardSupportEnds: null });
    }
    expect(judgeLifecycle("redis", "3.2.10", on("2026-12-04"))).toMatchObject({ state: "unknown", summary: expect.stringMatching(/older than CacheDeck's support calendar/) });
    expect(judgeLifecycle("redis", null, on("2026-12-04"))).toMatchObject({ state: "unknown", summary: "Engine version not read" });
  });

  it("judges a group mid-upgrade by its oldest version", () => {
    expect(majorOf("6.2.6 / 7.1.0")).toBe(6);
    expect(judgeLifecycle("redis", "7.1.0 / 6.2.6", on("2026-12-04")).state).toBe("standard-ends-soon");
  });

  it("keeps its source and the day it was checked, and every entry's dates in order", () => {
    expect(engineCalendar.source.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(engineCalendar.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const e of engineCalendar.entries) {
      expect(e.standardSupportEnds < e.extendedSupportEnds && e.extendedSupportEnds <= e.automaticUpgradeAfter).toBe(true);
    }
  });
});
