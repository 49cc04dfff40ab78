import { describe, expect, it } from "vitest";
import { formatInteger } from "@/components/ui/format";
import { latestCount } from "@/lib/data/series";

// Node cards show count gauges (CurrItems, CurrConnections) as the node's latest whole count, not the period's
// average over the window ("Keys 5999.8").
describe("node card counts", () => {
  it("takes the last slot with data and rounds CloudWatch's period average to a whole count", () => {
    expect(latestCount([5990, 5999.8, null])).toBe(6000);
    expect(latestCount([12, 40.4])).toBe(40);
    expect(latestCount([null, null])).toBeNull();
  });

  it("formats a count in full with thousands separators", () => {
    expect(formatInteger(5999.8)).toBe("6,000");
    expect(formatInteger(1234567)).toBe("1,234,567");
    expect(formatInteger(0)).toBe("0");
    expect(formatInteger(null)).toBe("—");
  });
});
