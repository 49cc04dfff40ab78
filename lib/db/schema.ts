import type { ColumnType, Generated } from "kysely";

// Timestamps go in as ISO-8601 strings and come back as Date (Postgres timestamptz) or string (SQLite text);
// JSON goes in as a string and comes back parsed (Postgres jsonb) or as the string (SQLite). The data-access layers
// normalise both, so nothing above them sees which database is underneath.
/** The two databases CacheDeck runs on; migrations differ in a few column types. */
export type SqlDialect = "sqlite" | "postgres";

export type Timestamp = ColumnType<Date | string, string, string>;
export type Json = ColumnType<unknown, string, string>;

export interface AuditRecordsTable {
  id: Generated<number>;
  actor_id: string;
  actor_name: string;
  actor_email: string | null;
  role: string;
  action: string;
  account: Generated<string>;
  region: string;
  target: string;
  parameters: Json;
  requested_at: Timestamp;
  finished_at: Timestamp | null;
  outcome: "pending" | "succeeded" | "failed";
  request_id: string | null;
  error: string | null;
  follow_up: string | null;
  /** The process running the follow-up (lib/drills/runner-identity.ts) while it runs; null before and after. */
  follow_up_runner: string | null;
  /** Epoch milliseconds of its last heartbeat (Postgres bigint comes back as a string). */
  follow_up_heartbeat_at: ColumnType<string | number | null, number | null, number | null>;
}

export interface DrillsTable {
  id: Generated<number>;
  kind: string;
  account: Generated<string>;
  region: string;
  replication_group_id: string;
  parameters: Json;
  objectives: Json;
  tags: Json;
  status: "running" | "completed" | "failed" | "aborted" | "interrupted";
  verdict: "pass" | "fail" | "inconclusive" | null;
  actor_id: string;
  actor_name: string;
  actor_email: string | null;
  role: string;
  audit_id: number | null;
  requested_at: Timestamp;
  finished_at: Timestamp | null;
  heartbeat_at: Timestamp;
  abort_requested_at: Timestamp | null;
  abort_requested_by: string | null;
  error: string | null;
  runner: Generated<string | null>;
}

export interface DrillTimelineTable {
  id: Generated<number>;
  drill_id: number;
  at: Timestamp;
  kind: string;
  shard: string | null;
  message: string;
  data: Json;
}

export interface DrillReportsTable {
  drill_id: number;
  created_at: Timestamp;
  verdict: "pass" | "fail" | "inconclusive";
  new_primary_ms: number | null;
  healthy_ms: number | null;
  write_outage_ms: number | null;
  keys_lost: number | null;
  report: Json;
}

export interface RevokedSessionsTable {
  session_id: string;
  revoked_at: Timestamp;
  expires_at: Timestamp;
}

export interface OperationsInFlightTable {
  target: string;
  token: string;
  holder: string;
  /** Epoch milliseconds (Postgres bigint comes back as a string). */
  claimed_at: ColumnType<string | number, number, number>;
  expires_at: ColumnType<string | number, number, number>;
}

/** Postgres only (with SQLite there is no other instance to relay to). */
export interface WatcherRecordsTable {
  /** bigserial: comes back as a string. */
  id: ColumnType<string, never, never>;
  watcher: string;
  kind: string;
  at: ColumnType<string | number, number, number>;
  payload: string;
}

export interface WatcherDetailsTable {
  /** The page's feed key (lib/watcher/detail-feed.ts): cache, range and node focus. */
  key: string;
  watcher: string;
  /** When the leader's read started (epoch ms): a follower asks for one no older than it needs. */
  at: ColumnType<string | number, number, number>;
  payload: string;
}

export interface LiveStreamsTable {
  /** In insertion order: the streams opened before one are those with smaller ids. */
  id: Generated<number>;
  user_id: string;
  /** Epoch milliseconds (Postgres bigint comes back as a string). */
  opened_at: ColumnType<string | number, number, number>;
  expires_at: ColumnType<string | number, number, number>;
}

export interface Database {
  audit_records: AuditRecordsTable;
  drills: DrillsTable;
  drill_timeline: DrillTimelineTable;
  drill_reports: DrillReportsTable;
  revoked_sessions: RevokedSessionsTable;
  operations_in_flight: OperationsInFlightTable;
  watcher_records: WatcherRecordsTable;
  watcher_details: WatcherDetailsTable;
  live_streams: LiveStreamsTable;
}
