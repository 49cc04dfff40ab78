import { describe, expect, it } from "vitest";
import { choosePeriod, resolveTimeWindow, sparklinePoints, withMaxPoints } from "@/lib/data/time-range";

const now = Date.parse("2026-03-10T12:00:00Z");
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe("resolveTimeWindow", () => {
  it.each([
    ["15m", 15 * minute, 10],
    ["1h", hour, 60],
    ["3h", 3 * hour, 60],
    ["12h", 12 * hour, 300],
    ["24h", day, 300],
    ["7d", 7 * day, 3600],
  ] as const)("%s spans the right time at a sensible period", (range, span, period) => {
    const { window, notice } = resolveTimeWindow({ range }, now);
    expect(notice).toBeUndefined();
    expect(window).toMatchObject({ range, start: now - span, end: now, period });
    expect(span / 1000 / window.period).toBeLessThanOrEqual(300);
  });

  it("defaults to the last hour", () => {
    expect(resolveTimeWindow({}, now).window).toMatchObject({ range: "1h", period: 60 });
  });

  it("accepts a custom range and picks its period by age and span", () => {
    const { window } = resolveTimeWindow({ range: "custom", from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" }, now);
    expect(window).toMatchObject({ range: "custom", start: Date.parse("2026-03-01T00:00:00Z"), period: 300 });
    expect(window.label).toBe("2026-03-01 00:00 UTC – 2026-03-02 00:00 UTC");
  });

  it("explains and falls back on a custom range it cannot use", () => {
    expect(resolveTimeWindow({ range: "custom", from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" }, now).notice).toMatch(/start before it ends/);
    expect(resolveTimeWindow({ range: "custom" }, now).notice).toMatch(/needs a start/);
    expect(resolveTimeWindow({ range: "custom", from: "2025-01-01T00:00:00Z" }, now).notice).toMatch(/90 days/);
    expect(resolveTimeWindow({ range: "2y" as "1h" }, now)).toMatchObject({ window: { range: "1h" }, notice: expect.stringMatching(/Unknown/) });
  });

  it("clamps a custom end in the future to now", () => {
    const { window } = resolveTimeWindow({ range: "custom", from: "2026-03-10T11:00:00Z", to: "2026-03-11T00:00:00Z" }, now);
    expect(window.end).toBe(now);
  });
});

describe("choosePeriod", () => {
  it("never asks for sub-minute points older than 3 hours, 1-minute older than 15 days or 5-minute older than 63 days", () => {
    expect(choosePeriod(now - 4 * hour, now - 4 * hour + 10 * minute, now, 300)).toBe(60);
    expect(choosePeriod(now - 20 * day, now - 20 * day + hour, now, 300)).toBe(300);
    expect(choosePeriod(now - 70 * day, now - 70 * day + hour, now, 300)).toBe(3600);
  });

  it("gives sparklines far fewer points", () => {
    const { window } = resolveTimeWindow({ range: "1h" }, now);
    const spark = withMaxPoints(window, now, sparklinePoints);
    expect((window.end - window.start) / 1000 / spark.period).toBeLessThanOrEqual(sparklinePoints);
    expect(spark.period).toBe(120);
  });
});

describe("custom range inputs", () => {
  it("reads a datetime-local value without a zone as UTC", () => {
    const { window } = resolveTimeWindow({ range: "custom", from: "2026-03-10T10:00", to: "2026-03-10T11:00" }, now);
    expect(window.start).toBe(Date.parse("2026-03-10T10:00:00Z"));
    expect(window.end).toBe(Date.parse("2026-03-10T11:00:00Z"));
  });
});
