import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import { Pool } from "pg";
import { migrationsFor } from "@/lib/db/migrations";
import type { Database, SqlDialect } from "@/lib/db/schema";


export type DatabaseConfig = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: SqlDialect;
}

export const SQLITE_FILE_NAME = "cachedeck.sqlite";

/** Postgres when a DATABASE_URL is configured, else the SQLite file in the data directory. */
export function databaseConfigFor(storage: { dataDir: string; databaseUrl: string | null }): DatabaseConfig {
  return storage.databaseUrl
    ? { dialect: "postgres", url: storage.databaseUrl }
    : { dialect: "sqlite", file: path.resolve(storage.dataDir, SQLITE_FILE_NAME) };
}

function openSqlite(file: string): BetterSqlite3.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const database = new BetterSqlite3(file);
  // WAL lets the audit page read while an action writes; FULL sync makes a committed audit row survive power loss,
  // which is worth the few milliseconds an operation costs.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.pragma("busy_timeout = 5000");
  return database;
}

/** Opens the database and brings its schema to the latest migration. */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  const db = new Kysely<Database>({
    dialect:
      config.dialect === "sqlite"
        ? new SqliteDialect({ database: openSqlite(config.file) })
        : new PostgresDialect({ pool: new Pool({ connectionString: config.url, max: 5 }) }),
  });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(config.dialect) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`Database migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { db, dialect: config.dialect };
}
