import { describe, expect, it } from "vitest";
import { DAY_MS, fitTrend, forecastCapacity, forecastLimit } from "@/lib/capacity/forecast";

const origin = Date.parse("2026-11-20T00:00:00Z");
const days = (n: number) => Array.from({ length: n }, (_, i) => origin + i * DAY_MS);

describe("capacity trend", () => {
  it("is the least-squares line through the daily peaks", () => {
    // x = 0..4, mean 2; y mean 12; Σdx·dy = 4 + 0 + 0 + 1 + 4 = 9, Σdx² = 10: slope 0.9, intercept 12 − 0.9·2 = 10.2.
    const trend = fitTrend({ days: days(5), values: [10, 12, 11, 13, 14] })!;
    expect(trend.slopePerDay).toBeCloseTo(0.9, 10);
    expect(trend.intercept).toBeCloseTo(10.2, 10);
    expect(trend.origin).toBe(origin);
  });

  it("needs three days", () => {
    expect(fitTrend({ days: days(2), values: [1, 2] })).toBeNull();
    expect(forecastLimit({ days: days(2), values: [1, 2] }, 100, origin)).toBeNull();
  });

  it("dates the day the trend reaches the limit", () => {
    // 50, 52, … 58: two points a day from 50, so 100 on day 25.
    const f = forecastLimit({ days: days(5), values: [50, 52, 54, 56, 58] }, 100, origin + 4.5 * DAY_MS)!;
    expect(f.reachesAt).toBe(origin + 25 * DAY_MS);
    expect(f.latest).toBe(58);
    // The noisy line above reaches 50 on day (50 − 10.2)/0.9 = 44.2…, and 100 only after 90 days from day 4.
    const noisy = { days: days(5), values: [10, 12, 11, 13, 14] };
    expect(forecastLimit(noisy, 50, origin + 4 * DAY_MS)!.reachesAt).toBeCloseTo(origin + ((50 - 10.2) / 0.9) * DAY_MS, -1);
    expect(forecastLimit(noisy, 100, origin + 4 * DAY_MS)!.reachesAt).toBeNull();
  });

  it("says not within the horizon for flat or falling peaks, and 'now' for a limit already reached", () => {
    expect(forecastLimit({ days: days(4), values: [40, 40, 40, 40] }, 100, origin)!.reachesAt).toBeNull();
    expect(forecastLimit({ days: days(4), values: [60, 50, 40, 30] }, 100, origin)!.reachesAt).toBeNull();
    expect(forecastLimit({ days: days(4), values: [90, 95, 99, 100] }, 100, origin)!.reachesAt).toBe(origin + 3 * DAY_MS);
    // A line whose crossing lies in the past (a drop after growth) is due now, not yesterday.
    const now = origin + 10 * DAY_MS;
    expect(forecastLimit({ days: days(4), values: [10, 40, 70, 99] }, 100, now)!.reachesAt).toBe(now);
  });

  it("reports the earliest limit of a cache: memory before connections", () => {
    const now = origin + 4 * DAY_MS;
    const f = forecastCapacity(
      {
        memory: { days: days(5), values: [50, 52, 54, 56, 58] },
        // 1,000 more connections a day from 10,000: 65,000 on day 55.
        connections: { days: days(5), values: [10_000, 11_000, 12_000, 13_000, 14_000] },
        keys: { days: days(5), values: [100, 200, 300, 400, 500] },
      },
      now,
    );
    expect(f.fillsUp).toBe("memory");
    expect(f.fillsUpAt).toBe(origin + 25 * DAY_MS);
    expect(f.connections!.reachesAt).toBe(origin + 55 * DAY_MS);
    expect(f.keys!.slopePerDay).toBe(100);
    const calm = forecastCapacity({ memory: { days: days(5), values: [5, 5, 5, 5, 5] }, connections: { days: days(5), values: [9, 9, 9, 9, 9] }, keys: { days: [], values: [] } }, now);
    expect(calm).toMatchObject({ fillsUp: null, fillsUpAt: null, keys: null });
  });
});
