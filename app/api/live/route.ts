import { getServerSession } from "next-auth";
import { can, roleIn } from "@/lib/auth/permissions";
import { authorizeSomewhere, AuthError, authErrorResponse, getAuthOptions, roleName } from "@/lib/auth/session";
import { admitStream, liveQuerySchema, liveStream, maxStreamMs, maxStreamsPerUser } from "@/lib/watcher/live-stream";
import { accountsConfig, isConfiguredPlace, placesWhere } from "@/lib/accounts";
import { getDrillStore } from "@/lib/drills";
import { placeLabel } from "@/lib/place";

export const dynamic = "force-dynamic";

/**
 * The push stream of one open tab (Server-Sent Events): the fleet's changes, one cluster page's, or one drill's. It
 * carries only accounts the person may read: the fleet stream their accounts' places, a cache or drill stream only
 * when their role in its account allows it; someone who may read no account is refused.
 */
export async function GET(request: Request): Promise<Response> {
  let user;
  try {
    user = await authorizeSomewhere("fleet.read");
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
  const parsed = liveQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return Response.json({ error: "Unknown live view.", problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, { status: 400 });
  }
  const query = parsed.data;
  let account: string | null = null;
  if (query.view === "drill") {
    const drill = await (await getDrillStore()).get(query.id);
    if (!drill) return Response.json({ error: `No drill #${query.id}.` }, { status: 404 });
    account = drill.account;
  }
  if (query.view === "clusters" || query.view === "serverless") {
    const place = { account: query.account ?? accountsConfig().defaultAccount, region: query.region };
    if (!isConfiguredPlace(place)) return Response.json({ error: `${placeLabel(place)} is not a region CacheDeck shows.` }, { status: 404 });
    account = place.account;
  }
  const permission = query.view === "drill" ? "drill.read" : "fleet.read";
  if (account !== null && !can(roleIn(user, account), permission)) {
    return Response.json({ error: `Your role in account ${account} (${roleName(roleIn(user, account))}) does not allow this (${permission}).` }, { status: 403 });
  }
  const session = await getServerSession(getAuthOptions());
  const release = await admitStream(user.id);
  if (!release) {
    const limit = maxStreamsPerUser();
    return Response.json({ error: `You already have ${limit} live page${limit === 1 ? "" : "s"} open; close some tabs.` }, { status: 429 });
  }
  const untilExpiry = session?.expires ? Date.parse(session.expires) - Date.now() : maxStreamMs;
  const lifetime = Math.max(1_000, Math.min(maxStreamMs, untilExpiry));
  const reader = { id: user.id, role: account === null ? user.role : roleIn(user, account), places: placesWhere(user, "fleet.read") };
  return new Response(liveStream(query, reader, lifetime, request.signal, release), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
