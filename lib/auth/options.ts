import type { NextAuthOptions, Profile } from "next-auth";
import type { OAuthConfig, Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import type { Env } from "@/lib/env";
import { holdsSomeRole, isRole, type Role } from "@/lib/auth/permissions";
import { findDemoUser } from "@/lib/auth/demo-users";
import { groupsFromClaim, mapAccountRoles, mapRole, type AccountPeople } from "@/lib/auth/role-mapping";
import type { SessionRevocations } from "@/lib/auth/revoked-sessions";
import { sameOriginPath } from "@/lib/auth/same-origin";
import { newSessionClaims, sessionClaims, sessionEndsAt, sessionTokenCodec } from "@/lib/auth/session-token";

export const SIGN_IN_PAGE = "/sign-in";
export const DEMO_PROVIDER_ID = "demo";
export const OIDC_PROVIDER_ID = "oidc";

/** The session cookie's name; the proxy reads the same cookie, so both derive it from here. */
export function sessionCookieName(env: Env): string {
  // __Host- binds the cookie to this exact origin (Secure, path /, no Domain); only possible over https.
  return env.session.secureCookies ? "__Host-cachedeck.session" : "cachedeck.session";
}

/** CacheDeck's configured public origin (NEXTAUTH_URL); outside production it may be unset, then any placeholder does. */
export function publicOrigin(env: Env): string {
  return env.session.url?.origin ?? "http://localhost";
}

interface OidcProfile extends Profile {
  sub: string;
  preferred_username?: string;
  [claim: string]: unknown;
}

function oidcProvider(oidc: NonNullable<Env["providers"]["oidc"]>): OAuthConfig<OidcProfile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: oidc.name,
    type: "oauth",
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    authorization: { params: { scope: oidc.scope } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      return {
        id: profile.sub,
        name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub,
        email: profile.email ?? null,
        groups: groupsFromClaim(profile[oidc.groupsClaim]),
      };
    },
  };
}

function demoProvider(): Provider {
  return CredentialsProvider({
    id: DEMO_PROVIDER_ID,
    name: "Demo user",
    credentials: { user: { label: "Demo user", type: "text" } },
    async authorize(credentials) {
      const user = findDemoUser(credentials?.user);
      return user ? { id: user.id, name: user.name, email: user.email, role: user.role ?? undefined } : null;
    },
  });
}

export function providersFor(env: Env): Provider[] {
  if (env.demo) return [demoProvider()];
  const providers: Provider[] = [];
  if (env.providers.github) providers.push(GitHubProvider(env.providers.github));
  if (env.providers.oidc) providers.push(oidcProvider(env.providers.oidc));
  return providers;
}

function roleOf(env: Env, user: { email?: string | null; role?: unknown; groups?: unknown }, providerId: string): Role | null {
  if (providerId === DEMO_PROVIDER_ID) return env.demo && isRole(user.role) ? user.role : null;
  return mapRole(env.roles, { email: user.email, groups: groupsFromClaim(user.groups) });
}

/**
 * Whether a person may sign in: a role by the global rules, or in at least one account by that account's own rules
 * (then they see and act in those accounts alone). A demo user exists only in demo mode.
 */
function admitted(env: Env, accounts: readonly AccountPeople[], user: { id?: string; email?: string | null; role?: unknown; groups?: unknown }, providerId: string): boolean {
  if (providerId === DEMO_PROVIDER_ID && !(env.demo && findDemoUser(user.id))) return false;
  if (roleOf(env, user, providerId) !== null) return true;
  return Object.keys(mapAccountRoles(accounts, { email: user.email, groups: groupsFromClaim(user.groups) })).length > 0;
}

/**
 * next-auth's options. `revocations` is where sign-outs are kept (the database, lib/auth/session.ts): a token is
 * refused once signed out, and at CACHEDECK_SESSION_MAX_AGE after its sign-in however often it was used. `accounts`
 * carry the per-account role rules of the accounts file.
 */
export function buildAuthOptions(env: Env, revocations: SessionRevocations, accounts: readonly AccountPeople[] = []): NextAuthOptions {
  const secure = env.session.secureCookies;
  const codec = sessionTokenCodec(env.session.maxAgeSeconds);
  return {
    secret: env.session.secret,
    providers: providersFor(env),
    session: { strategy: "jwt", maxAge: env.session.maxAgeSeconds, updateAge: 15 * 60 },
    jwt: {
      maxAge: env.session.maxAgeSeconds,
      encode: codec.encode,
      // Every session read (pages, actions, route handlers, /api/auth/session, sign-out) decodes through here.
      async decode(input) {
        const token = await codec.decode(input);
        const claims = sessionClaims(token);
        return claims && !(await revocations.isRevoked(claims.sid)) ? token : null;
      },
    },
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: sessionCookieName(env),
        options: { httpOnly: true, sameSite: "lax", path: "/", secure },
      },
    },
    pages: { signIn: SIGN_IN_PAGE, error: SIGN_IN_PAGE },
    events: {
      // A failure here is logged by next-auth and the cookie is still cleared; the person is told nothing more.
      async signOut({ token }) {
        const claims = sessionClaims(token);
        if (claims) await revocations.revoke(claims.sid, sessionEndsAt(claims, env.session.maxAgeSeconds));
      },
    },
    callbacks: {
      // After sign-in or sign-out, only a path on CacheDeck's own origin is followed, whatever its spelling.
      redirect({ url, baseUrl }) {
        return new URL(sameOriginPath(url, baseUrl), baseUrl).href;
      },
      // A person no role rule admits, globally or in some account, never gets a session (the sign-in page shows
      // "AccessDenied").
      signIn({ user, account }) {
        return account ? admitted(env, accounts, user, account.provider) : false;
      },
      jwt({ token, user, account }) {
        if (user && account) {
          Object.assign(token, newSessionClaims());
          token.provider = account.provider;
          token.groups = groupsFromClaim(user.groups);
          if (account.provider === DEMO_PROVIDER_ID && isRole(user.role)) token.role = user.role;
        }
        // Real sign-ins are mapped again on every request with this process's rules, so a changed role mapping (or
        // someone removed from it) takes effect at the next restart instead of when the session expires.
        if (token.provider !== DEMO_PROVIDER_ID) {
          const role = mapRole(env.roles, { email: token.email, groups: token.groups ?? [] });
          if (role) token.role = role;
          else delete token.role;
        } else if (!env.demo) {
          delete token.role;
        }
        // Per-account rules go by e-mail and groups for every provider (the demo's accounts file names its people); a
        // demo session outside demo mode gets none. Without any role left, the session callback gives no user.
        const demoOutsideDemo = token.provider === DEMO_PROVIDER_ID && !env.demo;
        token.accountRoles = demoOutsideDemo ? {} : mapAccountRoles(accounts, { email: token.email, groups: token.groups ?? [] });
        return token;
      },
      session({ session, token }) {
        // next-auth would report now + lifetime; the session really ends a lifetime after sign-in.
        const claims = sessionClaims(token);
        if (claims) session.expires = sessionEndsAt(claims, env.session.maxAgeSeconds).toISOString();
        if (session.user && holdsSomeRole(token)) {
          session.user.id = token.sub ?? "";
          session.user.role = isRole(token.role) ? token.role : null;
          session.user.accountRoles = token.accountRoles ?? {};
        }
        return session;
      },
    },
  };
}
