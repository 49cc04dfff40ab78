import { describe, expect, it } from "vitest";
import { formatValue } from "@/components/ui/format";

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
