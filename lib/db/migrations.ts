import { sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "@/lib/db/database";

// Each database shape change is one entry, applied in name order and never edited once it has shipped: add a new
// entry (e.g. "002-drill-reports") instead. A migration gets the dialect for the few column types that differ.
type DialectMigration = (db: Kysely<unknown>, dialect: SqlDialect) => Promise<void>;

const timestamp = (dialect: SqlDialect) => (dialect === "postgres" ? "timestamptz" : "text");
const json = (dialect: SqlDialect) => (dialect === "postgres" ? "jsonb" : "text");

const migrations: Record<string, DialectMigration> = {
  "001-audit-records": async (db, dialect) => {
    await db.schema
      .createTable("audit_records")
      .addColumn("id", dialect === "postgres" ? "serial" : "integer", (c) =>
        dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
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
};

export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, up]) => [name, { up: (db: Kysely<unknown>) => up(db, dialect) }]),
  );
}
