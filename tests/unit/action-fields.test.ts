import { describe, expect, it } from "vitest";
import { cacheNodeTypeField, confirmationMatches, nodeGroupIdField, numberField, replicationGroupIdField, withoutConfirmation } from "@/lib/actions/fields";
import { drillShape, objectivesField } from "@/lib/drills/start-input";

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;

describe("operation input fields", () => {
  it("accepts ElastiCache's replication group ids and refuses the rest", () => {
    for (const id of ["orders-sessions", "a", "catalog-cache-2", "x".repeat(40)]) expect(ok(replicationGroupIdField, id), id).toBe(true);
    for (const id of ["", "1abc", "orders--sessions", "orders-", "orders_sessions", "x".repeat(41), "orders sessions", "../etc"]) {
      expect(ok(replicationGroupIdField, id), id).toBe(false);
    }
    expect(replicationGroupIdField.parse(" Orders-Sessions ")).toBe("orders-sessions");
  });

  it("accepts four-digit shard ids only", () => {
    expect(ok(nodeGroupIdField, "0001")).toBe(true);
    for (const id of ["1", "00001", "abcd", ""]) expect(ok(nodeGroupIdField, id), id).toBe(false);
  });

  it("knows ElastiCache node type names without asking AWS", () => {
    for (const t of ["cache.r7g.large", "cache.t4g.micro", "cache.m6g.16xlarge", "cache.r6gd.xlarge"]) expect(ok(cacheNodeTypeField, t), t).toBe(true);
    for (const t of ["cache.x9z.mega", "r7g.large", "cache.r7g", "cache.r7g.large.extra", "cache.r7g.hugexlarge", "db.r7g.large"]) {
      expect(ok(cacheNodeTypeField, t), t).toBe(false);
    }
  });

  it("confirms only with the group id typed exactly (surrounding spaces and case forgiven), and keeps it out of the audit", () => {
    expect(confirmationMatches({ replicationGroupId: "orders", confirmation: " ORDERS " })).toBe(true);
    expect(confirmationMatches({ replicationGroupId: "orders", confirmation: "order" })).toBe(false);
    expect(withoutConfirmation({ replicationGroupId: "orders", confirmation: "orders", replicas: 2 })).toEqual({ replicationGroupId: "orders", replicas: 2 });
  });

  describe("numbers", () => {
    const replicas = numberField({ message: "Enter a whole number of replicas per shard, 0 to 5.", min: 0, max: 5 });
    // Each of these is 0 (or a number) to Number() and to z.coerce; none of them is a count a person typed.
    const notNumbers = ["", " ", "\t", null, undefined, [], [2], {}, true, false, "2 replicas", "0x2", "1e", "Infinity", "NaN", Number.NaN, Number.POSITIVE_INFINITY];

    it("refuses empty, blank, null, arrays and non-numeric input with the field's message, never reading them as 0", () => {
      for (const value of notNumbers) {
        const result = replicas.safeParse(value);
        expect(result.success, JSON.stringify(value)).toBe(false);
        expect(result.error?.issues.map((i) => i.message), JSON.stringify(value)).toEqual(["Enter a whole number of replicas per shard, 0 to 5."]);
      }
    });

    it("accepts a number or a string holding one, within the bounds, whole where asked", () => {
      expect(replicas.parse(0)).toBe(0);
      expect(replicas.parse(" 3 ")).toBe(3);
      expect(replicas.parse("5")).toBe(5);
      for (const value of [-1, 6, "6", 1.5, "1.5"]) expect(replicas.safeParse(value).success, String(value)).toBe(false);
      const seconds = numberField({ message: "seconds", min: 0, max: 10, whole: false });
      expect(seconds.parse("2.5")).toBe(2.5);
      expect(seconds.parse(".5")).toBe(0.5);
    });

    it("applies to the drill's objectives and duration, where an empty field once meant a 0 s objective", () => {
      const objectives = { newPrimarySeconds: "30", healthySeconds: "120", writeOutageSeconds: "10" };
      expect(objectivesField.parse(objectives)).toEqual({ newPrimarySeconds: 30, healthySeconds: 120, writeOutageSeconds: 10 });
      for (const field of Object.keys(objectives)) {
        for (const empty of ["", " ", null, []]) expect(objectivesField.safeParse({ ...objectives, [field]: empty }).success, `${field}=${JSON.stringify(empty)}`).toBe(false);
      }
      expect(objectivesField.safeParse({ ...objectives, newPrimarySeconds: 0 }).success).toBe(false);
      expect(objectivesField.parse({ ...objectives, writeOutageSeconds: 0 }).writeOutageSeconds).toBe(0);
      expect(drillShape.durationSeconds.parse(null)).toBeNull();
      for (const empty of ["", " ", []]) expect(drillShape.durationSeconds.safeParse(empty).success, JSON.stringify(empty)).toBe(false);
    });
  });
});
