import { accountNamePattern, placesWhere } from "@/lib/accounts";
import { authorizeSomewhere, AuthError, authErrorResponse } from "@/lib/auth/session";
import { loadFleet } from "@/lib/data/fleet";
import { resolveTimeWindow } from "@/lib/data/time-range";
import { postureToCsv } from "@/lib/posture/export";
import { placeLabel } from "@/lib/place";
import { z } from "@/lib/zod";

export const dynamic = "force-dynamic";

const scopeSchema = z.object({
  account: z.string().regex(accountNamePattern, "an account name from the accounts file").optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as us-east-1").optional(),
});

/** What the describe reads failed on: without them a cache's posture would be missing from the export. */
const describes = new Set(["replication groups", "cache clusters", "serverless caches"]);

/**
 * The fleet's engine lifecycle and control outcomes as CSV, filtered like the fleet (account, region), over the
 * accounts the reader may read. Served from the watchers' memory: no AWS call per export.
 */
export async function GET(request: Request): Promise<Response> {
  let user;
  try {
    user = await authorizeSomewhere("fleet.read");
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
  const params = new URL(request.url).searchParams;
  const scope = scopeSchema.safeParse({ account: params.get("account") ?? undefined, region: params.get("region") ?? undefined });
  if (!scope.success) {
    return Response.json({ error: "Fix the filters first.", problems: scope.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }, { status: 400 });
  }
  const { account, region } = scope.data;
  const places = placesWhere(user, "fleet.read").filter((p) => (!account || p.account === account) && (!region || p.region === region));
  if (places.length === 0) return Response.json({ error: "No configured account and region you may read matches these filters." }, { status: 404 });

  const now = Date.now();
  const fleet = await loadFleet(resolveTimeWindow({}, now).window, now, places);
  const loading = fleet.regions.filter((r) => r.loading || r.problems.some((p) => describes.has(p.what)));
  if (loading.length > 0) {
    // A partial export would read as "no findings" for the caches it lacks.
    return Response.json(
      { error: `Could not read every cache of ${loading.map((r) => placeLabel(r)).join(", ")} yet; try again in a minute, or narrow the export to the other regions.` },
      { status: 503, headers: { "Retry-After": "30" } },
    );
  }
  const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
  return new Response(postureToCsv(fleet.clusters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="cachedeck-posture-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
