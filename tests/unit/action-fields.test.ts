import { describe, expect, it } from "vitest";
import { cacheNodeTypeField, confirmationMatches, nodeGroupIdField, replicationGroupIdField, withoutConfirmation } from "@/lib/actions/fields";

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
});
