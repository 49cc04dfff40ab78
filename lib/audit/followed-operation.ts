import "server-only";
import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { getAuditLog, type AuditRecord } from "@/lib/audit";
import type { Place } from "@/lib/place";

/**
 * The operation a cluster page was opened to follow (?operation=<audit id>), if the reader may see that record
 * (their own, or any for admins) and it is about this group; otherwise null, so a crafted link reveals nothing.
 */
export async function followedOperation(user: SessionUser, place: Place, replicationGroupId: string, raw: string | undefined): Promise<AuditRecord | null> {
  const id = Number(raw);
  if (!raw || !Number.isSafeInteger(id) || id <= 0 || !can(user.role, "audit.read-own")) return null;
  const record = await (await getAuditLog()).get(id);
  if (!record || record.account !== place.account || record.region !== place.region) return null;
  if (record.target !== replicationGroupId && !record.target.startsWith(`${replicationGroupId}/`)) return null;
  if (!can(user.role, "audit.read-all") && record.actor.id !== user.id) return null;
  return record;
}
