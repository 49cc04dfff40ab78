import { describe, expect, it } from "vitest";
import { groupsFromClaim, mapAccountRoles, mapRole } from "@/lib/auth/role-mapping";
import { roleIn } from "@/lib/auth/permissions";
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

describe("roles per account", () => {
  // "Admin in staging, operator in payments-prod, viewer elsewhere", by e-mail, domain or group.
  const accounts = [
    { name: "staging", people: { admin: { emails: ["@platform.example.com"], groups: [] }, operator: { emails: [], groups: [] }, viewer: { emails: [], groups: [] } } },
    { name: "payments-prod", people: { admin: { emails: [], groups: [] }, operator: { emails: ["kim@platform.example.com"], groups: ["payments-oncall"] }, viewer: { emails: [], groups: [] } } },
    { name: "sandbox", people: { admin: { emails: [], groups: [] }, operator: { emails: [], groups: [] }, viewer: { emails: [], groups: [] } } },
  ];

  it("maps each account's own rules, the strongest of them, and leaves out accounts whose rules do not name the person", () => {
    expect(mapAccountRoles(accounts, { email: "Kim@Platform.example.com", groups: [] })).toEqual({ staging: "admin", "payments-prod": "operator" });
    expect(mapAccountRoles(accounts, { email: "lee@example.com", groups: ["payments-oncall"] })).toEqual({ "payments-prod": "operator" });
    expect(mapAccountRoles(accounts, { email: "lee@example.com", groups: [] })).toEqual({});
  });

  it("decides the role in an account in one place: the account's rule, else the global role", () => {
    const kim = { role: "viewer" as const, accountRoles: mapAccountRoles(accounts, { email: "kim@platform.example.com", groups: [] }) };
    expect(roleIn(kim, "staging")).toBe("admin");
    expect(roleIn(kim, "payments-prod")).toBe("operator");
    expect(roleIn(kim, "sandbox")).toBe("viewer");
    // An account rule may also lower a global role, and names from a URL never reach Object.prototype.
    expect(roleIn({ role: "admin", accountRoles: { "payments-prod": "viewer" } }, "payments-prod")).toBe("viewer");
    expect(roleIn(kim, "__proto__")).toBe("viewer");
    expect(roleIn(kim, "constructor")).toBe("viewer");
  });
});
