import { describe, expect, it } from "vitest";
import { ConfigError, dashboardConfig } from "@/lib/env";

describe("dashboardConfig", () => {
  it("reads several regions, trimmed and without duplicates", () => {
    expect(dashboardConfig({ CACHEDECK_REGIONS: " us-east-1, eu-west-1 ,us-east-1" }).regions).toEqual([
      "us-east-1",
      "eu-west-1",
    ]);
  });

  it("falls back to the SDK's region variables", () => {
    expect(dashboardConfig({ AWS_REGION: "ap-southeast-2" }).regions).toEqual(["ap-southeast-2"]);
    expect(dashboardConfig({}).regions).toEqual(["us-east-1"]);
  });

  it("names the bad region and shows a valid example", () => {
    expect(() => dashboardConfig({ CACHEDECK_REGIONS: "us-east-1,Frankfurt" })).toThrow(ConfigError);
    expect(() => dashboardConfig({ CACHEDECK_REGIONS: "us-east-1,Frankfurt" })).toThrow(
      /"Frankfurt" is not an AWS region name.*CACHEDECK_REGIONS=us-east-1,eu-west-1/,
    );
    expect(() => dashboardConfig({ CACHEDECK_REGIONS: " , " })).toThrow(/names no region/);
  });
});
