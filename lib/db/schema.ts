import type { ColumnType, Generated } from "kysely";

// Timestamps go in as ISO-8601 strings and come back as Date (Postgres timestamptz) or string (SQLite text);
// JSON goes in as a string and comes back parsed (Postgres jsonb) or as the string (SQLite). The data-access layers
// normalise both, so nothing above them sees which database is underneath.
export type Timestamp = ColumnType<Date | string, string, string>;
export type Json = ColumnType<unknown, string, string>;

export interface AuditRecordsTable {
  id: Generated<number>;
  actor_id: string;
  actor_name: string;
  actor_email: string | null;
  role: string;
  action: string;
  region: string;
  target: string;
  parameters: Json;
  requested_at: Timestamp;
  finished_at: Timestamp | null;
  outcome: "pending" | "succeeded" | "failed";
  request_id: string | null;
  error: string | null;
}

export interface Database {
  audit_records: AuditRecordsTable;
}
