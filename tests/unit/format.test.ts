import { describe, expect, it } from "vitest";
import { formatAxisTime, formatValue } from "@/components/ui/format";

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
