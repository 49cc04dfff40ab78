import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { getEnv, type Env } from "@/lib/env";
import { hostRefusal, hostRefusalResponse, hostRule, type HostRule } from "@/lib/auth/allowed-hosts";
import { holdsSomeRole } from "@/lib/auth/permissions";
import { SIGN_IN_PAGE, sessionCookieName } from "@/lib/auth/options";
import { contentSecurityPolicy, newNonce, securityHeaders, type SecurityContext } from "@/lib/auth/security-headers";
import { sessionTokenCodec } from "@/lib/auth/session-token";

// Every request passes here first, in this order: a Host that is not CacheDeck's own is refused (DNS rebinding),
// a fresh CSP nonce is made, people without a session are sent to the sign-in page, and every answer gets the
// security headers. Only the Host check and the headers are final here: every page, server action and route handler
// still checks the Host and authorizes on its own (lib/auth/session.ts), because a proxy can be bypassed by a gap.

// What may be fetched without a session: next-auth's own routes, the sign-in page, built assets and icons.
const PUBLIC_PATH = /^\/(?:api\/auth(?:\/|$)|sign-in(?:\/|$)|_next\/(?:static|image)\/|favicon\.ico$|[^?]*\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt)$)/;

let settings: { env: Env; hosts: HostRule; decode: ReturnType<typeof sessionTokenCodec>["decode"] } | undefined;

function proxySettings() {
  if (!settings) {
    const env = getEnv();
    settings = { env, hosts: hostRule(env), decode: sessionTokenCodec(env.session.maxAgeSeconds).decode };
  }
  return settings;
}

async function signedIn(request: NextRequest): Promise<boolean> {
  const { env, decode } = proxySettings();
  // Signature and absolute lifetime only; revocation needs the database and is checked where the session is read.
  const token = await getToken({ req: request, secret: env.session.secret, cookieName: sessionCookieName(env), decode });
  return holdsSomeRole(token);
}

function withHeaders(response: Response, context: SecurityContext): Response {
  for (const [name, value] of securityHeaders(context)) response.headers.set(name, value);
  return response;
}

export default async function proxy(request: NextRequest): Promise<Response> {
  const { env, hosts } = proxySettings();
  const context: SecurityContext = { nonce: null, development: !env.production, https: env.session.secureCookies };
  const refusal = hostRefusal(request.headers, hosts);
  if (refusal) return withHeaders(hostRefusalResponse(refusal), context);

  const { pathname, search } = request.nextUrl;
  if (!PUBLIC_PATH.test(pathname) && !(await signedIn(request))) {
    const signIn = new URL(SIGN_IN_PAGE, request.nextUrl.origin);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return withHeaders(NextResponse.redirect(signIn), context);
  }

  context.nonce = newNonce();
  const policy = contentSecurityPolicy(context);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders; layouts read x-nonce.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set("x-nonce", context.nonce);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), context);
}
