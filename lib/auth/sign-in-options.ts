import "server-only";
import { getEnv } from "@/lib/env";
import { demoUsers } from "@/lib/auth/demo-users";
import { OIDC_PROVIDER_ID, publicOrigin } from "@/lib/auth/options";
import { sameOriginPath } from "@/lib/auth/same-origin";

export interface SignInChoices {
  demo: boolean;
  demoUsers: { id: string; name: string; role: string; description: string }[];
  providers: { id: string; name: string }[];
}

/** What the sign-in page offers: the demo users in demo mode, the configured providers otherwise. */
export function signInChoices(): SignInChoices {
  const env = getEnv();
  if (env.demo) {
    return { demo: true, demoUsers: demoUsers.map(({ id, name, role, description }) => ({ id, name, role: role ?? "per account", description })), providers: [] };
  }
  const providers: SignInChoices["providers"] = [];
  if (env.providers.github) providers.push({ id: "github", name: "GitHub" });
  if (env.providers.oidc) providers.push({ id: OIDC_PROVIDER_ID, name: env.providers.oidc.name });
  return { demo: false, demoUsers: [], providers };
}

// A Map, not an object: the code comes from the URL, and `?error=constructor` must not find Object's constructor.
const errorMessages = new Map<string, string>(Object.entries({
  AccessDenied: "Your account has no CacheDeck role. Ask an admin to add your e-mail address or group to the role mapping, or to an account's people in the accounts file.",
  CredentialsSignin: "That demo user does not exist. Pick one of the users below.",
  OAuthSignin: "The sign-in provider could not be reached. Try again in a moment.",
  OAuthCallback: "The sign-in provider's answer could not be verified. Try again.",
  SessionRequired: "Sign in to continue.",
}));

export function signInErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return errorMessages.get(code) ?? "Sign-in failed. Try again, and tell an admin if it keeps happening.";
}

/** The path to return to after sign-in: a path on CacheDeck's own origin, or "/" (see same-origin.ts). */
export function safeCallbackPath(value: string | undefined): string {
  return sameOriginPath(value, publicOrigin(getEnv()));
}
