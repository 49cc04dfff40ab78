import "server-only";
import { getEnv } from "@/lib/env";
import { databaseConfigFor, openDatabase } from "@/lib/db/database";
import { AuditLog } from "@/lib/audit/audit-log";

export * from "@/lib/audit/audit-log";

let auditLog: Promise<AuditLog> | undefined;

/** The process's audit log, opened (and migrated) on first use. */
export function getAuditLog(): Promise<AuditLog> {
  if (!auditLog) {
    auditLog = openDatabase(databaseConfigFor(getEnv().storage)).then(({ db }) => new AuditLog(db));
    // A database that was down at first use is tried again on the next request instead of failing forever.
    auditLog.catch(() => {
      auditLog = undefined;
    });
  }
  return auditLog;
}
