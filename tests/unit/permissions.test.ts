import { describe, expect, it } from "vitest";
import { can, permissions, roles, strongest, type Permission, type Role } from "@/lib/auth/permissions";

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

  it("picks the strongest role and null for none", () => {
    expect(strongest(["viewer", "admin", "operator"])).toBe("admin");
    expect(strongest(["viewer"])).toBe("viewer");
    expect(strongest([])).toBeNull();
  });
});
