import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "@/lib/db/schema";

// Each database shape change is one entry, applied in name order and never edited once it has shipped: add a new
// entry (e.g. "002-drill-reports") instead. A migration gets the dialect for the few column types that differ.
type DialectMigration = (db: Kysely<unknown>, dialect: SqlDialect) => Promise<void>;

const timestamp = (dialect: SqlDialect) => (dialect === "postgres" ? "timestamptz" : "text");
const json = (dialect: SqlDialect) => (dialect === "postgres" ? "jsonb" : "text");

const idColumn = (dialect: SqlDialect) => (dialect === "postgres" ? "serial" : "integer");
const idConstraints = (dialect: SqlDialect) => (c: ColumnDefinitionBuilder) =>
  dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement();

const migrations: Record<string, DialectMigration> = {
  "001-audit-records": async (db, dialect) => {
    await db.schema
      .createTable("audit_records")
      .addColumn("id", idColumn(dialect), idConstraints(dialect))
      .addColumn("actor_id", "text", (c) => c.notNull())
      .addColumn("actor_name", "text", (c) => c.notNull())
      .addColumn("actor_email", "text")
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("region", "text", (c) => c.notNull())
      .addColumn("target", "text", (c) => c.notNull())
      .addColumn("parameters", json(dialect), (c) => c.notNull())
      .addColumn("requested_at", timestamp(dialect), (c) => c.notNull())
      .addColumn("finished_at", timestamp(dialect))
      .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('pending', 'succeeded', 'failed')`))
      .addColumn("request_id", "text")
      .addColumn("error", "text")
      .execute();
    await db.schema.createIndex("audit_records_requested_at").on("audit_records").column("requested_at").execute();
    await db.schema.createIndex("audit_records_actor").on("audit_records").columns(["actor_id", "requested_at"]).execute();
  },
  "002-drills": async (db, dialect) => {
    await db.schema
      .createTable("drills")
      .addColumn("id", idColumn(dialect), idConstraints(dialect))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("region", "text", (c) => c.notNull())
      .addColumn("replication_group_id", "text", (c) => c.notNull())
      .addColumn("parameters", json(dialect), (c) => c.notNull())
      .addColumn("objectives", json(dialect), (c) => c.notNull())
      .addColumn("tags", json(dialect), (c) => c.notNull())
      .addColumn("status", "text", (c) =>
        c.notNull().check(sql`status in ('running', 'completed', 'failed', 'aborted', 'interrupted')`),
      )
      .addColumn("verdict", "text", (c) => c.check(sql`verdict in ('pass', 'fail', 'inconclusive')`))
      .addColumn("actor_id", "text", (c) => c.notNull())
      .addColumn("actor_name", "text", (c) => c.notNull())
      .addColumn("actor_email", "text")
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("audit_id", "integer")
      .addColumn("requested_at", timestamp(dialect), (c) => c.notNull())
      .addColumn("finished_at", timestamp(dialect))
      .addColumn("heartbeat_at", timestamp(dialect), (c) => c.notNull())
      .addColumn("abort_requested_at", timestamp(dialect))
      .addColumn("abort_requested_by", "text")
      .addColumn("error", "text")
      .execute();
    await db.schema.createIndex("drills_group").on("drills").columns(["region", "replication_group_id", "requested_at"]).execute();
    await db.schema.createIndex("drills_requested_at").on("drills").column("requested_at").execute();
    // The database, not a check-then-insert in the app, guarantees one running drill per group: two people starting
    // a drill at the same moment cannot both get past it.
    await db.schema
      .createIndex("drills_one_running_per_group")
      .on("drills")
      .columns(["region", "replication_group_id"])
      .unique()
      .where(sql.ref("status"), "=", "running")
      .execute();

    await db.schema
      .createTable("drill_timeline")
      .addColumn("id", idColumn(dialect), idConstraints(dialect))
      .addColumn("drill_id", "integer", (c) => c.notNull().references("drills.id").onDelete("cascade"))
      .addColumn("at", timestamp(dialect), (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("shard", "text")
      .addColumn("message", "text", (c) => c.notNull())
      .addColumn("data", json(dialect), (c) => c.notNull())
      .execute();
    await db.schema.createIndex("drill_timeline_drill").on("drill_timeline").columns(["drill_id", "id"]).execute();

    await db.schema
      .createTable("drill_reports")
      .addColumn("drill_id", "integer", (c) => c.primaryKey().references("drills.id").onDelete("cascade"))
      .addColumn("created_at", timestamp(dialect), (c) => c.notNull())
      .addColumn("verdict", "text", (c) => c.notNull().check(sql`verdict in ('pass', 'fail', 'inconclusive')`))
      .addColumn("new_primary_ms", "integer")
      .addColumn("healthy_ms", "integer")
      .addColumn("write_outage_ms", "integer")
      .addColumn("keys_lost", "integer")
      .addColumn("report", json(dialect), (c) => c.notNull())
      .execute();
  },
  "003-drill-runner": async (db) => {
    // Which process runs the drill (host, pid, boot id), so a restarted CacheDeck can tell its dead predecessor's
    // drills from those another live instance is running.
    await db.schema.alterTable("drills").addColumn("runner", "text").execute();
  },
  "004-revoked-sessions": async (db, dialect) => {
    // Sessions are stateless cookies, so sign-out is remembered here until the session would have ended anyway.
    await db.schema
      .createTable("revoked_sessions")
      .addColumn("session_id", "text", (c) => c.primaryKey())
      .addColumn("revoked_at", timestamp(dialect), (c) => c.notNull())
      .addColumn("expires_at", timestamp(dialect), (c) => c.notNull())
      .execute();
    await db.schema.createIndex("revoked_sessions_expires_at").on("revoked_sessions").column("expires_at").execute();
  },
  "005-operations-in-flight": async (db) => {
    // The in-flight guard of operations, shared by every app instance on the database (lib/actions/in-flight-guard.ts):
    // the primary key refuses a second claim on the same target. Times are epoch milliseconds.
    await db.schema
      .createTable("operations_in_flight")
      .addColumn("target", "text", (c) => c.primaryKey())
      .addColumn("token", "text", (c) => c.notNull())
      .addColumn("holder", "text", (c) => c.notNull())
      .addColumn("claimed_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
  },
  "006-watcher-records": async (db, dialect) => {
    // What a leading watcher applied, for the instances following it (lib/watcher/relay.ts). Only Postgres lets
    // several app instances share a database; with SQLite there is one instance and nothing to relay.
    if (dialect !== "postgres") return;
    await db.schema
      .createTable("watcher_records")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("watcher", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      // Text, not jsonb: Postgres only stores and returns it, and parsing a large snapshot there would be wasted.
      .addColumn("payload", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("watcher_records_watcher").on("watcher_records").columns(["watcher", "id"]).execute();
  },
  "007-live-streams": async (db, dialect) => {
    // Open push streams per person, counted across every app instance on the database (lib/watcher/stream-admission.ts).
    // A stream ends within its lifetime; a row left by a crashed instance stops counting at `expires_at` (epoch ms).
    await db.schema
      .createTable("live_streams")
      .addColumn("id", idColumn(dialect), idConstraints(dialect))
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("opened_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("live_streams_user").on("live_streams").columns(["user_id", "expires_at"]).execute();
  },
  "008-accounts": async (db) => {
    // Records and drills name the AWS account of their target (lib/accounts.ts); everything before several accounts
    // belonged to the credential chain's own account, "default".
    for (const table of ["audit_records", "drills"]) {
      await db.schema.alterTable(table).addColumn("account", "text", (c) => c.notNull().defaultTo("default")).execute();
    }
    await db.schema.createIndex("audit_records_account").on("audit_records").columns(["account", "requested_at"]).execute();
    // One running drill per group: the same group id may exist in two accounts.
    await db.schema.dropIndex("drills_one_running_per_group").execute();
    await db.schema
      .createIndex("drills_one_running_per_group")
      .on("drills")
      .columns(["account", "region", "replication_group_id"])
      .unique()
      .where(sql.ref("status"), "=", "running")
      .execute();
  },
  "009-watcher-details": async (db, dialect) => {
    // Cluster pages' details read by a watcher's leader for the instances following it (lib/watcher/relay.ts): one
    // row per page (cache, range, node focus), replaced by each read. Postgres only, as watcher_records.
    if (dialect !== "postgres") return;
    await db.schema
      .createTable("watcher_details")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("watcher", "text", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .execute();
  },
  "010-audit-follow-up": async (db) => {
    // What an operation's follow-up found after AWS accepted it (the engine upgrade's write probe), written when the
    // change has finished, long after the record was completed.
    await db.schema.alterTable("audit_records").addColumn("follow_up", "text").execute();
  },
  "011-follow-up-runner": async (db) => {
    // Which process runs a record's follow-up and its last heartbeat (epoch ms), so that another instance can record
    // a follow-up whose process died as stopped, as drills are marked interrupted.
    await db.schema.alterTable("audit_records").addColumn("follow_up_runner", "text").execute();
    await db.schema.alterTable("audit_records").addColumn("follow_up_heartbeat_at", "bigint").execute();
    await db.schema.createIndex("audit_records_follow_up_runner").on("audit_records").column("follow_up_runner").where(sql.ref("follow_up_runner"), "is not", null).execute();
  },
};

export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, up]) => [name, { up: (db: Kysely<unknown>) => up(db, dialect) }]),
  );
}
