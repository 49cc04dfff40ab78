import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { hostRefusalResponse } from "@/lib/auth/allowed-hosts";
import { currentHostRefusal, getAuthOptions, withAbsoluteCookieExpiry } from "@/lib/auth/session";

// Options are built on the first request, so `next build` never needs the deployment's secrets.
async function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  // Sign-in is where a rebinding page would start; the proxy refuses it first, this holds without the proxy.
  const refusal = await currentHostRefusal();
  if (refusal) return hostRefusalResponse(refusal);
  return withAbsoluteCookieExpiry(await NextAuth(request, context, getAuthOptions()));
}

export { handler as GET, handler as POST };
