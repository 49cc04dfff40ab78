import { describe, expect, it } from "vitest";
import { accountsWhere, can, canInSomeAccount, holdsSomeRole, permissions, roleIn, roles, strongest, type Permission, type Role } from "@/lib/auth/permissions";

// The matrix as DESIGN.md states it, written out in full so a change to the table is a visible change here.
const expected: Record<Role, Permission[]> = {
  viewer: ["fleet.read", "drill.read"],
  operator: ["fleet.read", "drill.read", "cluster.test-failover", "drill.run", "audit.read-own", "alarms.create"],
  admin: ["fleet.read", "drill.read", "cluster.test-failover", "drill.run", "audit.read-own", "alarms.create", "cluster.scale", "audit.read-all", "config.read", "costs.read"],
};

describe("permission table", () => {
  for (const role of roles) {
    for (const permission of permissions) {
      const allowed = expected[role].includes(permission);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(can(role, permission)).toBe(allowed);
      });
    }
  }

  it("gives each role everything the role below it has", () => {
    for (const permission of permissions) {
      if (can("viewer", permission)) expect(can("operator", permission)).toBe(true);
      if (can("operator", permission)) expect(can("admin", permission)).toBe(true);
    }
  });

  it("grants nothing to no role, and decides per account for someone only an account's rules name", () => {
    for (const permission of permissions) expect(can(null, permission)).toBe(false);
    const lee = { role: null, accountRoles: { staging: "operator" as const } };
    expect(roleIn(lee, "staging")).toBe("operator");
    expect(roleIn(lee, "production")).toBeNull();
    expect(canInSomeAccount(lee, "drill.run")).toBe(true);
    expect(canInSomeAccount(lee, "cluster.scale")).toBe(false);
    expect(accountsWhere(lee, "fleet.read", ["production", "staging"])).toEqual(["staging"]);
    // A global role still reads every account; an account's rule only changes the role there.
    expect(accountsWhere({ role: "viewer", accountRoles: { staging: "admin" } }, "cluster.scale", ["production", "staging"])).toEqual(["staging"]);
    expect(accountsWhere({ role: "viewer" }, "fleet.read", ["production", "staging"])).toEqual(["production", "staging"]);
    // What the proxy and the session callback admit: a role anywhere, never a made-up one.
    expect(holdsSomeRole({ accountRoles: { staging: "viewer" } })).toBe(true);
    expect(holdsSomeRole({ role: "operator" })).toBe(true);
    expect(holdsSomeRole({ role: "root", accountRoles: { staging: "owner" } })).toBe(false);
    expect(holdsSomeRole({ accountRoles: {} })).toBe(false);
    expect(holdsSomeRole(null)).toBe(false);
  });

  it("picks the strongest role and null for none", () => {
    expect(strongest(["viewer", "admin", "operator"])).toBe("admin");
    expect(strongest(["viewer"])).toBe("viewer");
    expect(strongest([])).toBeNull();
  });
});
