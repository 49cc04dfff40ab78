import type { DefaultSession } from "next-auth";
import type { Role } from "@/lib/auth/permissions";

declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & { id: string; role: Role | null; accountRoles: Record<string, Role> };
  }
  interface User {
    role?: Role;
    groups?: string[];
    /** This sign-in's id, revoked at sign-out (lib/auth/session-token.ts). */
    sid?: string;
    /** Sign-in time in seconds since the epoch; the session ends CACHEDECK_SESSION_MAX_AGE after it. */
    authTime?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    /** Roles in the accounts whose own rules name the person, mapped again on each request. */
    accountRoles?: Record<string, Role>;
    provider?: string;
    /** The provider's groups at sign-in, kept so the role can be mapped again on each request. */
    groups?: string[];
  }
}
