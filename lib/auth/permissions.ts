// The one table of who may do what. Pages, server actions and route handlers all ask `can`, so a role's powers are
// changed here and nowhere else. Importable from client components: it holds no secrets.

export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  "fleet.read",
  "drill.read",
  "cluster.test-failover",
  "drill.run",
  "audit.read-own",
  // Create AWS's recommended CloudWatch alarms for a cache (PutMetricAlarm): additive, priced per alarm.
  "alarms.create",
  "cluster.scale",
  "audit.read-all",
  // Configuration in error reports: AWS endpoint URLs, environment variable names, AWS's own error text.
  "config.read",
  // What CacheDeck asks of AWS and what CloudWatch costs: the admin cost page.
  "costs.read",
] as const;
export type Permission = (typeof permissions)[number];

const viewer: readonly Permission[] = ["fleet.read", "drill.read"];
const operator: readonly Permission[] = [...viewer, "cluster.test-failover", "drill.run", "audit.read-own", "alarms.create"];
const admin: readonly Permission[] = [...operator, "cluster.scale", "audit.read-all", "config.read", "costs.read"];

export const permissionTable: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  viewer: new Set(viewer),
  operator: new Set(operator),
  admin: new Set(admin),
};

/**
 * Who a person is to the permission table: `role` from the global rules, their role in every account whose own rules
 * do not name them — null when the global rules admit them nowhere, so they may act only in the accounts whose rules
 * name them — and `accountRoles`, the roles those rules give.
 */
export interface RoleHolder {
  role: Role | null;
  accountRoles?: Readonly<Record<string, Role>>;
}

/**
 * A person's role in one AWS account: what the accounts file's rules for that account say about them, else their
 * role from the global rules; null when neither gives one. The one place that decides it: pages, server actions and
 * route handlers acting on a cache ask with the cache's account.
 */
export function roleIn(person: RoleHolder, account: string): Role | null {
  const roles = person.accountRoles;
  return roles && Object.hasOwn(roles, account) ? roles[account] : person.role;
}

/** Whether the person holds `permission` in at least one account: what a page offering a choice of targets asks. */
export function canInSomeAccount(person: RoleHolder, permission: Permission): boolean {
  return can(person.role, permission) || Object.values(person.accountRoles ?? {}).some((role) => can(role, permission));
}

/** Of `accounts`, those where the person holds `permission`: what a page or stream listing several accounts shows. */
export function accountsWhere(person: RoleHolder, permission: Permission, accounts: readonly string[]): string[] {
  return accounts.filter((account) => can(roleIn(person, account), permission));
}

/** No role (null) grants nothing. */
export function can(role: Role | null, permission: Permission): boolean {
  return role !== null && permissionTable[role].has(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/** Whether a session (its token or user) holds a role anywhere: by the global rules, or in some account by its own. */
export function holdsSomeRole(holder: { role?: unknown; accountRoles?: Readonly<Record<string, unknown>> } | null | undefined): boolean {
  return isRole(holder?.role) || Object.values(holder?.accountRoles ?? {}).some(isRole);
}

/** Roles ordered from least to most powerful, for "the strongest matching rule wins". */
export function strongest(candidates: Iterable<Role>): Role | null {
  let best: Role | null = null;
  for (const role of candidates) {
    if (best === null || roles.indexOf(role) > roles.indexOf(best)) best = role;
  }
  return best;
}
