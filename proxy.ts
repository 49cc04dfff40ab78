import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import type { NextFetchEvent } from "next/server";
import { getEnv } from "@/lib/env";
import { isRole } from "@/lib/auth/permissions";
import { SIGN_IN_PAGE, sessionCookieName } from "@/lib/auth/options";

// The first line of defence only: it sends people without a session to the sign-in page. Every page, server action
// and route handler still authorizes on its own, because a proxy can be bypassed by a matcher gap.
let handler: ReturnType<typeof withAuth> | undefined;

function authProxy(): ReturnType<typeof withAuth> {
  const env = getEnv();
  handler ??= withAuth({
    secret: env.session.secret,
    cookies: { sessionToken: { name: sessionCookieName(env) } },
    pages: { signIn: SIGN_IN_PAGE },
    callbacks: { authorized: ({ token }) => isRole(token?.role) },
  });
  return handler;
}

export default function proxy(request: NextRequestWithAuth, event: NextFetchEvent) {
  return authProxy()(request, event);
}

export const config = {
  matcher: ["/((?!api/auth|sign-in|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt)$).*)"],
};
