import { authorizeSomewhere, AuthError, authErrorResponse } from "@/lib/auth/session";
import { getAuditLog } from "@/lib/audit";
import { auditRecordsToCsv, scopedAuditQuery } from "@/lib/audit/query";

export const dynamic = "force-dynamic";

const EXPORT_LIMIT = 10_000;

/** The audit records the reader may see, filtered as on the audit page, as CSV or JSON. */
export async function GET(request: Request): Promise<Response> {
  let user;
  try {
    user = await authorizeSomewhere("audit.read-own");
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
  const params = new URL(request.url).searchParams;
  const format = params.get("format") ?? "csv";
  if (format !== "csv" && format !== "json") {
    return Response.json({ error: 'format must be "csv" or "json"' }, { status: 400 });
  }
  const { filter, problems } = scopedAuditQuery(user, params, EXPORT_LIMIT);
  if (problems.length > 0) return Response.json({ error: "Fix the filters first.", problems }, { status: 400 });

  const records = await (await getAuditLog()).list(filter);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const headers = {
    "Content-Disposition": `attachment; filename="cachedeck-audit-${stamp}.${format}"`,
    "Cache-Control": "no-store",
  };
  if (format === "json") {
    return new Response(JSON.stringify({ exportedAt: new Date().toISOString(), records }, null, 2), {
      headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
    });
  }
  return new Response(auditRecordsToCsv(records), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
}
