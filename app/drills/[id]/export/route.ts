import { authorizeSomewhere, AuthError, authErrorResponse, roleName } from "@/lib/auth/session";
import { can, roleIn } from "@/lib/auth/permissions";
import { getDrillStore } from "@/lib/drills";
import { reportToMarkdown } from "@/lib/drills/markdown";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** A finished drill's report as Markdown or JSON, for post-mortems and change records. Anyone who may read drills in the drill's account. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  let user;
  try {
    user = await authorizeSomewhere("drill.read");
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
  const id = Number((await params).id);
  const url = new URL(request.url);
  const format = url.searchParams.get("format") ?? "md";
  if (format !== "md" && format !== "json") return Response.json({ error: 'format must be "md" or "json"' }, { status: 400 });
  if (!Number.isSafeInteger(id) || id <= 0) return Response.json({ error: "No such drill." }, { status: 404 });
  const store = await getDrillStore();
  const drill = await store.get(id);
  if (!drill) return Response.json({ error: `No drill #${id}.` }, { status: 404 });
  const role = roleIn(user, drill.account);
  if (!can(role, "drill.read")) return Response.json({ error: `Your role in account ${drill.account} (${roleName(role)}) does not allow reading its drill reports.` }, { status: 403 });
  const report = await store.report(id);
  if (!report || drill.status === "running") return Response.json({ error: `Drill #${id} is still running; its report is exported once it ends.` }, { status: 409 });

  const name = `cachedeck-drill-${id}-${drill.replicationGroupId}`;
  const headers = { "Content-Disposition": `attachment; filename="${name}.${format}"`, "Cache-Control": "no-store" };
  if (format === "json") {
    return new Response(JSON.stringify({ ...report, status: drill.status }, null, 2), { headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
  }
  const link = new URL(`/drills/${id}`, getEnv().session.url?.origin ?? url.origin).toString();
  return new Response(reportToMarkdown({ ...report, status: drill.status }, link), { headers: { ...headers, "Content-Type": "text/markdown; charset=utf-8" } });
}
