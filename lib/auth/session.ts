import "server-only";
import { getServerSession, type NextAuthOptions } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getEnv } from "@/lib/env";
import { buildAuthOptions, SIGN_IN_PAGE } from "@/lib/auth/options";
import { can, isRole, type Permission, type Role } from "@/lib/auth/permissions";

export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  role: Role;
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

export function getAuthOptions(): NextAuthOptions {
  options ??= buildAuthOptions(getEnv());
  return options;
}

/** The signed-in person of the current request (page, server action or route handler), or null. */
export async function currentUser(): Promise<SessionUser | null> {
  // Whatever reads the session is rendered per request, never prerendered at build time (when no secret exists).
  await connection();
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user || !isRole(user.role)) return null;
  return { id: user.id, name: user.name ?? user.email ?? user.id, email: user.email ?? null, role: user.role };
}

/** For pages: the signed-in person, or a redirect to the sign-in page. */
export async function requireSession(callbackPath = "/"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`${SIGN_IN_PAGE}?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}

/** For server actions and route handlers: the signed-in person if their role grants `permission`, else AuthError. */
export async function authorize(permission: Permission): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AuthError("unauthenticated", "You are not signed in. Sign in and try again.");
  if (!can(user.role, permission)) {
    throw new AuthError("forbidden", `Your role (${user.role}) does not allow this (${permission}). Ask an admin if you need it.`);
  }
  return user;
}

/** The HTTP answer to an AuthError in a route handler. */
export function authErrorResponse(error: AuthError): Response {
  return Response.json({ error: error.message }, { status: error.reason === "unauthenticated" ? 401 : 403 });
}
