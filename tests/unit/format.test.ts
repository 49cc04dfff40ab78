import { describe, expect, it } from "vitest";
import { formatAxisTime, formatValue } from "@/components/ui/format";
import { formatDuration, formatSeconds } from "@/lib/duration";

describe("formatValue", () => {
  it("gives distinct labels to the ticks of a small microsecond axis", () => {
    const ticks = [0, 0.5, 1, 1.5, 2].map((v) => formatValue(v, "microseconds"));
    expect(ticks).toEqual(["0 µs", "0.5 µs", "1.0 µs", "1.5 µs", "2.0 µs"]);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it("keeps whole microseconds from 10 µs and switches to ms from 1000 µs", () => {
    expect(formatValue(12.4, "microseconds")).toBe("12 µs");
    expect(formatValue(1500, "microseconds")).toBe("1.5 ms");
    expect(formatValue(null, "microseconds")).toBe("—");
  });
});

describe("formatAxisTime", () => {
  const t = Date.parse("2026-11-26T08:38:20Z");
  it("shows seconds on a drill's few-minute chart, minutes on an hour, the date on a week", () => {
    expect(formatAxisTime(t, 4 * 60_000)).toBe("08:38:20");
    expect(formatAxisTime(t, 3600_000)).toBe("08:38");
    expect(formatAxisTime(t, 7 * 24 * 3600_000)).toBe("11-26");
  });
});

describe("durations", () => {
  it("write seconds the same way on every page: the unit follows the size", () => {
    expect([0, 0.4, 2, 12.44, 185, 3720, null].map((s) => formatValue(s, "seconds"))).toEqual(["0 s", "400 ms", "2.0 s", "12.4 s", "3 min 05 s", "1 h 02 min", "—"]);
    expect(formatSeconds(185)).toBe(formatDuration(185_000));
  });
});
