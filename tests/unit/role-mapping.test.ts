import { describe, expect, it } from "vitest";
import { groupsFromClaim, mapRole } from "@/lib/auth/role-mapping";
import type { RoleRules } from "@/lib/env";

const rules: RoleRules = {
  emails: { admin: ["boss@example.com"], operator: ["@oncall.example.com", "pat@example.com"], viewer: ["@example.com"] },
  groups: { admin: ["platform-admins"], operator: ["sre"], viewer: [] },
  fallback: null,
};

describe("mapRole", () => {
  it("maps an exact address, case-insensitively", () => {
    expect(mapRole(rules, { email: "Boss@Example.com", groups: [] })).toBe("admin");
    expect(mapRole(rules, { email: "pat@example.com", groups: [] })).toBe("operator");
  });

  it("maps a whole domain with an @domain entry, but not a look-alike domain", () => {
    expect(mapRole(rules, { email: "kim@oncall.example.com", groups: [] })).toBe("operator");
    expect(mapRole(rules, { email: "kim@example.com", groups: [] })).toBe("viewer");
    expect(mapRole(rules, { email: "kim@notexample.com", groups: [] })).toBeNull();
    expect(mapRole(rules, { email: "kim@example.com.evil.io", groups: [] })).toBeNull();
  });

  it("maps groups, exact and case-sensitive", () => {
    expect(mapRole(rules, { email: null, groups: ["sre"] })).toBe("operator");
    expect(mapRole(rules, { email: null, groups: ["SRE"] })).toBeNull();
  });

  it("gives the strongest of several matching rules", () => {
    expect(mapRole(rules, { email: "kim@example.com", groups: ["platform-admins"] })).toBe("admin");
    expect(mapRole(rules, { email: "boss@example.com", groups: ["sre"] })).toBe("admin");
  });

  it("falls back to the configured default: refused, or viewer", () => {
    expect(mapRole(rules, { email: "stranger@elsewhere.org", groups: ["other"] })).toBeNull();
    expect(mapRole({ ...rules, fallback: "viewer" }, { email: "stranger@elsewhere.org", groups: [] })).toBe("viewer");
    expect(mapRole({ ...rules, fallback: "viewer" }, { email: undefined, groups: [] })).toBe("viewer");
  });

  it("never matches an address without a domain against @domain entries", () => {
    expect(mapRole(rules, { email: "example.com", groups: [] })).toBeNull();
    expect(mapRole(rules, { email: "", groups: [] })).toBeNull();
  });
});

describe("groupsFromClaim", () => {
  it("reads a list, a comma-separated string, or nothing", () => {
    expect(groupsFromClaim(["a", "b", 3])).toEqual(["a", "b"]);
    expect(groupsFromClaim("a, b")).toEqual(["a", "b"]);
    expect(groupsFromClaim(undefined)).toEqual([]);
    expect(groupsFromClaim({ a: 1 })).toEqual([]);
  });
});
