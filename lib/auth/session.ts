import "server-only";
import { getServerSession, type NextAuthOptions } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getEnv } from "@/lib/env";
import { getDatabase } from "@/lib/db/connection";
import { hostRefusal, hostRule, type HostRule } from "@/lib/auth/allowed-hosts";
import { buildAuthOptions, sessionCookieName, SIGN_IN_PAGE } from "@/lib/auth/options";
import { pinSessionCookieExpiry } from "@/lib/auth/session-token";
import { RevokedSessions, type SessionRevocations } from "@/lib/auth/revoked-sessions";
import { can, canInSomeAccount, isRole, roleIn, type Permission, type Role } from "@/lib/auth/permissions";
import { accountsConfig, CHAIN_ACCOUNT } from "@/lib/accounts";

export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  /**
   * The role from the global rules: the person's role in every account whose own rules do not name them; null when
   * only accounts' own rules admit them (they see and act in those accounts alone).
   */
  role: Role | null;
  /** Roles in the accounts whose own rules name the person; ask roleIn(user, account), never read this directly. */
  accountRoles: Record<string, Role>;
}

/** Refusal of a request: `unauthenticated` when nobody is signed in, `forbidden` when the role lacks the permission. */
export class AuthError extends Error {
  constructor(
    readonly reason: "unauthenticated" | "forbidden",
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

let options: NextAuthOptions | undefined;

// Sign-outs live in the audit log's database (SQLite file or Postgres), shared by every instance.
const revocations: SessionRevocations = {
  isRevoked: async (sessionId) => new RevokedSessions((await getDatabase()).db).isRevoked(sessionId),
  revoke: async (sessionId, endsAt) => new RevokedSessions((await getDatabase()).db).revoke(sessionId, endsAt),
};

export function getAuthOptions(): NextAuthOptions {
  options ??= buildAuthOptions(getEnv(), revocations, accountsConfig().accounts);
  return options;
}

/** next-auth's answer with the session cookie expiring at the session's absolute end (lib/auth/session-token.ts). */
export async function withAbsoluteCookieExpiry(response: Response): Promise<Response> {
  const setCookies = response.headers.getSetCookie();
  if (setCookies.length === 0) return response;
  const env = getEnv();
  const pinned = await pinSessionCookieExpiry(setCookies, sessionCookieName(env), env.session.secret, env.session.maxAgeSeconds);
  response.headers.delete("set-cookie");
  for (const setCookie of pinned) response.headers.append("set-cookie", setCookie);
  return response;
}

let hosts: HostRule | undefined;

/** Why the current request is refused for its Host header (DNS rebinding), or null; see lib/auth/allowed-hosts.ts. */
export async function currentHostRefusal(): Promise<string | null> {
  hosts ??= hostRule(getEnv());
  return hostRefusal(await headers(), hosts);
}

/** The signed-in person of the current request (page, server action or route handler), or null. */
export async function currentUser(): Promise<SessionUser | null> {
  // Whatever reads the session is rendered per request, never prerendered at build time (when no secret exists).
  await connection();
  // The proxy refuses such requests first; this holds even where a request reaches a page or action around it.
  if (await currentHostRefusal()) return null;
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user) return null;
  const role = isRole(user.role) ? user.role : null;
  const accountRoles = Object.fromEntries(Object.entries(user.accountRoles ?? {}).filter(([, r]) => isRole(r)));
  // The session callback gives a user only to someone with a role somewhere; this holds for a tampered session too.
  if (role === null && Object.keys(accountRoles).length === 0) return null;
  return { id: user.id, name: user.name ?? user.email ?? user.id, email: user.email ?? null, role, accountRoles };
}

/** For pages: the signed-in person, or a redirect to the sign-in page. */
export async function requireSession(callbackPath = "/"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`${SIGN_IN_PAGE}?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}

async function signedIn(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AuthError("unauthenticated", "You are not signed in. Sign in and try again.");
  return user;
}

/** How a refusal names a role; someone only other accounts' rules admit has none here. */
export function roleName(role: Role | null): string {
  return role ?? "no role";
}

/**
 * For server actions and route handlers: the signed-in person if their role grants `permission`, else AuthError.
 * With `account` (the target's), their role in that account decides; without, the global role (an account-wide
 * power such as the cost page). The actor returned carries that role.
 */
export async function authorize(permission: Permission, account?: string): Promise<SessionUser & { role: Role }> {
  const user = await signedIn();
  const role = account === undefined ? user.role : roleIn(user, account);
  if (!can(role, permission) || role === null) {
    // A deployment of one account (no accounts file) is not told about accounts.
    const where = account === undefined || account === CHAIN_ACCOUNT ? "" : ` in account ${account}`;
    throw new AuthError("forbidden", `Your role${where} (${roleName(role)}) does not allow this (${permission}). Ask an admin if you need it.`);
  }
  return { ...user, role };
}

/**
 * For a route handler whose answer spans accounts (the live stream, an export): the signed-in person if they hold
 * `permission` in at least one account, else AuthError. What it then carries must be cut to the accounts where they
 * hold it (accountsWhere, roleIn).
 */
export async function authorizeSomewhere(permission: Permission): Promise<SessionUser> {
  const user = await signedIn();
  if (!canInSomeAccount(user, permission)) {
    throw new AuthError("forbidden", `Your role (${roleName(user.role)}) does not allow this (${permission}) in any account. Ask an admin if you need it.`);
  }
  return user;
}

/** The HTTP answer to an AuthError in a route handler. */
export function authErrorResponse(error: AuthError): Response {
  return Response.json({ error: error.message }, { status: error.reason === "unauthenticated" ? 401 : 403 });
}
