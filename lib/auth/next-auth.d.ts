import type { DefaultSession } from "next-auth";
import type { Role } from "@/lib/auth/permissions";

declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & { id: string; role: Role };
  }
  interface User {
    role?: Role;
    groups?: string[];
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    provider?: string;
    /** The provider's groups at sign-in, kept so the role can be mapped again on each request. */
    groups?: string[];
  }
}
