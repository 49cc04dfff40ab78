import type { RoleRules } from "@/lib/env";
import { roles, strongest, type Role } from "@/lib/auth/permissions";

export interface Identity {
  email: string | null | undefined;
  groups: readonly string[];
}

/**
 * The role a person gets at sign-in: the strongest role whose e-mail list (exact address, or "@domain" for a whole
 * domain) or group list matches, else the configured fallback; null means the sign-in is refused.
 */
export function mapRole(rules: RoleRules, identity: Identity): Role | null {
  const email = identity.email?.trim().toLowerCase() ?? "";
  const domain = email.includes("@") ? email.slice(email.lastIndexOf("@")) : null;
  const groups = new Set(identity.groups);
  const matched = roles.filter(
    (role) =>
      (email !== "" && rules.emails[role].some((entry) => entry === email || (entry.startsWith("@") && entry === domain))) ||
      rules.groups[role].some((group) => groups.has(group)),
  );
  return strongest(matched) ?? rules.fallback;
}

/** Group names from an ID token or userinfo claim, which providers send as a list or a single string. */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === "string");
  if (typeof claim === "string" && claim !== "") return claim.split(",").map((g) => g.trim());
  return [];
}
