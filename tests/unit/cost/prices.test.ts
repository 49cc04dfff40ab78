import { describe, expect, it } from "vitest";
import snapshot from "@/prices/elasticache-prices.json";
import { engineCalendar } from "@/lib/posture/engine-calendar";
import { judgeLifecycle } from "@/lib/posture/engine-lifecycle";
import {
  engineFamily,
  extendedSupportOf,
  extendedSupportWindow,
  priceOf,
  serverlessPriceOf,
  snapshotPriceBook,
  withApiNodePrices,
} from "@/lib/cost/prices";

// Figures read off prices/elasticache-prices.json by hand: the lookups must return exactly those, with their stamp.
const book = snapshotPriceBook();

describe("price lookups from the snapshot", () => {
  it("prices a node by engine, type and region, saying where the figure comes from", () => {
    expect(priceOf({ engine: "redis", nodeType: "cache.r7g.large", region: "us-east-1" }, book)).toEqual({
      hourlyUsd: 0.219,
      origin: "snapshot",
      source: "price-list-2026-10-02",
      date: "2026-10-02",
    });
    expect(priceOf({ engine: "valkey", nodeType: "cache.m7g.large", region: "us-east-1" }, book)?.hourlyUsd).toBe(0.1264);
    expect(priceOf({ engine: "memcached", nodeType: "cache.t4g.micro", region: "us-east-1" }, book)?.source).toBe("memcached-same-as-redis");
  });

  it("prices the demo's eu-west-1 node types from the 2022 Price List copy, with that date, and nothing it lacked", () => {
    const stamp = { origin: "snapshot", source: "ec2instances-2022-02-13", date: "2022-02-13" };
    expect(priceOf({ engine: "redis", nodeType: "cache.t4g.small", region: "eu-west-1" }, book)).toEqual({ hourlyUsd: 0.034, ...stamp });
    expect(priceOf({ engine: "memcached", nodeType: "cache.t4g.medium", region: "eu-west-1" }, book)).toEqual({ hourlyUsd: 0.068, ...stamp });
    // Neither Valkey (launched 2024) nor the m7g/r7g types were in that file: no figure, not one scaled from us-east-1.
    expect(priceOf({ engine: "valkey", nodeType: "cache.t4g.small", region: "eu-west-1" }, book)).toBeUndefined();
    expect(serverlessPriceOf({ engine: "valkey", region: "eu-west-1" }, book)).toBeUndefined();
  });

  it("has no price rather than a guess for a region or type the snapshot lacks", () => {
    expect(priceOf({ engine: "redis", nodeType: "cache.r7g.large", region: "eu-west-1" }, book)).toBeUndefined();
    expect(priceOf({ engine: "redis", nodeType: "cache.r7g.large", region: "eu-central-1" }, book)).toBeUndefined();
    expect(priceOf({ engine: "redis", nodeType: "cache.x9.huge", region: "us-east-1" }, book)).toBeUndefined();
  });

  it("keeps Valkey at AWS's own figures, each 0.8x Redis OSS for the types both have", () => {
    const redis = snapshot.nodeHours.find((r) => r.engine === "redis" && r.region === "us-east-1")!.prices as Record<string, number>;
    const valkey = snapshot.nodeHours.find((r) => r.engine === "valkey" && r.region === "us-east-1")!.prices as Record<string, number>;
    for (const [type, price] of Object.entries(valkey)) expect(price).toBeCloseTo(redis[type] * 0.8, 4);
  });

  it("prices serverless per GB-hour and million ECPUs", () => {
    expect(serverlessPriceOf({ engine: "valkey", region: "us-east-1" }, book)).toMatchObject({ dataStoredPerGbHour: 0.084, ecpuPerMillion: 0.0023, minimumGb: 0.1 });
    expect(serverlessPriceOf({ engine: "redis", region: "us-east-1" }, book)).toMatchObject({ dataStoredPerGbHour: 0.125, ecpuPerMillion: 0.0034, minimumGb: 1 });
  });

  it("reads engine families the way ElastiCache spells them", () => {
    expect([engineFamily("redis"), engineFamily("Redis OSS"), engineFamily("valkey"), engineFamily("Memcached")]).toEqual(["redis", "redis", "valkey", "memcached"]);
  });
});

describe("Extended Support", () => {
  const node = { engine: "redis", nodeType: "cache.r7g.large", region: "us-east-1" };
  const at = (iso: string) => Date.parse(iso);

  it("charges Redis OSS 4 and 5 from 1 Feb 2026: 80% of 0.219 in year 1, 160% in year 3", () => {
    expect(extendedSupportOf({ ...node, engineVersion: "5.0.6" }, at("2026-12-04T00:00:00Z"), book)).toMatchObject({ year: 1, share: 0.8, thirdParty: true });
    expect(extendedSupportOf({ ...node, engineVersion: "5.0.6" }, at("2026-12-04T00:00:00Z"), book)!.hourlyUsd).toBeCloseTo(0.1752, 6);
    expect(extendedSupportOf({ ...node, engineVersion: "4.0.10" }, at("2028-06-01T00:00:00Z"), book)!.hourlyUsd).toBeCloseTo(0.3504, 6);
    expect(extendedSupportOf({ ...node, engineVersion: "4.0.10" }, at("2029-02-01T00:00:00Z"), book)).toBeNull();
  });

  it("charges Redis OSS 6 only after 31 Jan 2027, and never Valkey or Redis OSS 7", () => {
    expect(extendedSupportOf({ ...node, engineVersion: "6.2" }, at("2027-01-31T12:00:00Z"), book)).toBeNull();
    expect(extendedSupportOf({ ...node, engineVersion: "6.2" }, at("2027-02-01T00:00:00Z"), book)?.year).toBe(1);
    expect(extendedSupportOf({ ...node, engineVersion: "7.1" }, at("2027-06-01T00:00:00Z"), book)).toBeNull();
    expect(extendedSupportOf({ ...node, engine: "valkey", engineVersion: "7.2" }, at("2027-06-01T00:00:00Z"), book)).toBeNull();
    // The calendar gives Redis OSS 6 three years of Extended Support, as 4 and 5 (lib/posture/engine-calendar.ts).
    expect(extendedSupportOf({ ...node, engineVersion: "6.2" }, at("2030-01-31T12:00:00Z"), book)?.year).toBe(3);
    expect(extendedSupportOf({ ...node, engineVersion: "6.2" }, at("2030-02-01T00:00:00Z"), book)).toBeNull();
  });

  it("takes when it applies from the posture calendar, the one source of the lifecycle, not from the price snapshot", () => {
    expect(snapshot.extendedSupport).not.toHaveProperty("engines");
    for (const e of engineCalendar.entries) {
      const posture = judgeLifecycle(e.engine, `${e.major}.0`, new Date("2026-12-04T00:00:00Z"));
      expect(extendedSupportWindow(e.engine, `${e.major}.0`)).toEqual({ startsOn: posture.extendedSince, endsOn: posture.extendedSupportEnds });
    }
    // A version mid-upgrade ("5.0.6 / 7.1.0") is judged by its older major, as the posture pages judge it.
    expect(extendedSupportWindow("redis", "5.0.6 / 7.1.0")?.startsOn).toBe("2026-02-01");
    expect(extendedSupportWindow("redis", "7.1")).toBeUndefined();
  });
});

describe("Price List API overlay", () => {
  it("replaces the types the API answered and keeps the snapshot for the rest", () => {
    const overlaid = withApiNodePrices([{ region: "eu-west-1", engine: "Redis", nodeType: "cache.t4g.small", hourlyUsd: 0.036, date: "2026-12-04" }], book);
    expect(priceOf({ engine: "redis", nodeType: "cache.t4g.small", region: "eu-west-1" }, overlaid)).toEqual({
      hourlyUsd: 0.036,
      origin: "price-list-api",
      source: "price-list-api",
      date: "2026-12-04",
    });
    expect(priceOf({ engine: "redis", nodeType: "cache.t4g.small", region: "us-east-1" }, overlaid)?.origin).toBe("snapshot");
  });
});
