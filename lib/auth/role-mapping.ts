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

/** The people rules of one account, as the accounts file gives them (lib/accounts.ts). */
export interface AccountPeople {
  name: string;
  people: Record<Role, { emails: readonly string[]; groups: readonly string[] }>;
}

/**
 * A person's roles in the accounts whose own rules name them (the strongest matching rule of each account); an
 * account left out keeps the person's global role (roleIn in lib/auth/permissions.ts).
 */
export function mapAccountRoles(accounts: readonly AccountPeople[], identity: Identity): Record<string, Role> {
  const result: Record<string, Role> = {};
  for (const account of accounts) {
    const pick = (field: "emails" | "groups") => Object.fromEntries(roles.map((r) => [r, [...account.people[r][field]]])) as Record<Role, string[]>;
    const role = mapRole({ emails: pick("emails"), groups: pick("groups"), fallback: null }, identity);
    if (role) result[account.name] = role;
  }
  return result;
}

/** Group names from an ID token or userinfo claim, which providers send as a list or a single string. */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === "string");
  if (typeof claim === "string" && claim !== "") return claim.split(",").map((g) => g.trim());
  return [];
}
