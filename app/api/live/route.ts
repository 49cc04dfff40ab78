import { getServerSession } from "next-auth";
import { can } from "@/lib/auth/permissions";
import { authorize, AuthError, authErrorResponse, getAuthOptions } from "@/lib/auth/session";
import { admitStream, liveQuerySchema, liveStream, maxStreamMs, maxStreamsPerUser } from "@/lib/watcher/live-stream";
import { accountsConfig, isConfiguredPlace } from "@/lib/accounts";
import { placeLabel } from "@/lib/place";

export const dynamic = "force-dynamic";

/** The push stream of one open tab (Server-Sent Events): the fleet's changes, one cluster page's, or one drill's. */
export async function GET(request: Request): Promise<Response> {
  let user;
  try {
    user = await authorize("fleet.read");
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
  const parsed = liveQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return Response.json({ error: "Unknown live view.", problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, { status: 400 });
  }
  if (parsed.data.view === "drill" && !can(user.role, "drill.read")) {
    return Response.json({ error: "Your role may not read drill reports." }, { status: 403 });
  }
  if (parsed.data.view === "clusters" || parsed.data.view === "serverless") {
    const place = { account: parsed.data.account ?? accountsConfig().defaultAccount, region: parsed.data.region };
    if (!isConfiguredPlace(place)) return Response.json({ error: `${placeLabel(place)} is not a region CacheDeck shows.` }, { status: 404 });
  }
  const session = await getServerSession(getAuthOptions());
  const release = await admitStream(user.id);
  if (!release) {
    return Response.json({ error: `You already have ${maxStreamsPerUser} live pages open; close some tabs.` }, { status: 429 });
  }
  const untilExpiry = session?.expires ? Date.parse(session.expires) - Date.now() : maxStreamMs;
  const lifetime = Math.max(1_000, Math.min(maxStreamMs, untilExpiry));
  return new Response(liveStream(parsed.data, user, lifetime, request.signal, release), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
