import "server-only";
import { getDatabase } from "@/lib/db/connection";
import { getEnv } from "@/lib/env";
import { AuditLog } from "@/lib/audit/audit-log";

export * from "@/lib/audit/audit-log";

let auditLog: Promise<AuditLog> | undefined;

/** The process's audit log, over the shared database. */
export function getAuditLog(): Promise<AuditLog> {
  if (!auditLog) {
    auditLog = getDatabase().then(({ db }) => new AuditLog(db, { unfinishedAfterMs: getEnv().auditUnfinishedAfterMs }));
    auditLog.catch(() => {
      auditLog = undefined;
    });
  }
  return auditLog;
}
