import { authorizeSomewhere, AuthError, authErrorResponse } from "@/lib/auth/session";
import { placesWhere } from "@/lib/accounts";
import { toCsv } from "@/lib/csv";
import { loadSpend, spendCsvRows } from "@/lib/data/spend";

export const dynamic = "force-dynamic";

/** Every cache's monthly cost, in the accounts where the person has a role, as CSV (cells a spreadsheet would run as formulas are neutralised, lib/csv.ts). */
export async function GET(): Promise<Response> {
  let user;
  try {
    user = await authorizeSomewhere("fleet.read");
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
  const now = Date.now();
  const spend = await loadSpend("team", now, placesWhere(user, "fleet.read"));
  const { header, rows } = spendCsvRows(spend.lines);
  const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
  return new Response(toCsv(header, rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="cachedeck-spend-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
