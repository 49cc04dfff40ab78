import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { toCsv } from "@/lib/csv";
import { auditStatuses, type AuditFilter, type AuditRecord, type AuditStatus } from "@/lib/audit/audit-log";

// The audit page and its export read the same URL parameters through this one parser, and both scope the result by
// the reader's role here, so what can be exported is exactly what can be seen.

const text = z.string().trim().max(200).optional().transform((v) => (v ? v : undefined));

// <input type="datetime-local"> sends "2026-03-01T12:00" with no zone; the page labels its times UTC.
const instant = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: `"${v}" is not a date and time` });
      return z.NEVER;
    }
    return date;
  });

export const auditQuerySchema = z.object({
  who: text,
  action: text,
  account: text,
  target: text,
  status: z.enum(auditStatuses as [AuditStatus, ...AuditStatus[]]).optional().catch(undefined),
  from: instant,
  to: instant,
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

export interface ScopedAuditQuery {
  query: AuditQuery;
  filter: AuditFilter;
  /** Problems with the URL's filters, shown above the table; the filter in question is ignored. */
  problems: string[];
  scope: "all" | "own";
}

/** Each parameter is read on its own, so one bad value is reported and ignored while the others still apply. */
export function parseAuditQuery(params: URLSearchParams): { query: AuditQuery; problems: string[] } {
  const query: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(auditQuerySchema.shape)) {
    const parsed = schema.safeParse(params.get(key) || undefined);
    if (parsed.success) query[key] = parsed.data;
    else problems.push(`${key}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  return { query: query as AuditQuery, problems };
}

/**
 * The filter a reader may run: admins by the global rules see every record, anyone who may operate in some account
 * only their own. Callers authorize first.
 */
export function scopedAuditQuery(user: SessionUser, params: URLSearchParams, limit: number): ScopedAuditQuery {
  const { query, problems } = parseAuditQuery(params);
  const scope = can(user.role, "audit.read-all") ? "all" : "own";
  const filter: AuditFilter = {
    who: scope === "all" ? query.who : undefined,
    action: query.action,
    account: query.account,
    target: query.target,
    status: query.status,
    from: query.from,
    to: query.to,
    beforeId: query.before,
    limit,
    actorId: scope === "own" ? user.id : undefined,
  };
  return { query, filter, problems, scope };
}

const csvColumns = [
  "id", "requested_at", "finished_at", "status", "actor", "actor_email", "role", "action", "account", "region", "target", "parameters", "request_id", "error", "follow_up",
] as const;

export function auditRecordsToCsv(records: AuditRecord[]): string {
  return toCsv(
    csvColumns,
    records.map((r) => [r.id, r.requestedAt, r.finishedAt, r.status, r.actor.name, r.actor.email, r.role, r.action, r.account, r.region, r.target, JSON.stringify(r.parameters), r.requestId, r.error, r.followUp]),
  );
}
