import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type DatabaseConfig, type OpenDatabase } from "@/lib/db/database";
import { startPostgres } from "./postgres";

// The two databases CacheDeck runs on, for contract tests that run the same cases on each: a SQLite file in a temp
// dir and a throw-away Postgres cluster, each with the `stop` that removes it.

export interface TestDatabase {
  config: DatabaseConfig;
  stop(): Promise<void>;
}

export const testDatabases: [name: string, start: () => Promise<TestDatabase>][] = [
  [
    "SQLite",
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-db-"));
      return { config: { dialect: "sqlite", file: path.join(dir, "cachedeck.sqlite") }, stop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    "Postgres",
    async () => {
      const postgres = await startPostgres();
      return { config: { dialect: "postgres", url: postgres.url }, stop: () => postgres.stop() };
    },
  ],
];

/**
 * Registers hooks that start the database once for the enclosing describe block and open it twice, as two app
 * instances would (each with its own connections); read the fields inside tests.
 */
export function twoInstancesOf(start: () => Promise<TestDatabase>): { first: OpenDatabase; second: OpenDatabase } {
  const opened = {} as { first: OpenDatabase; second: OpenDatabase };
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await start();
    opened.first = await openDatabase(database.config);
    opened.second = await openDatabase(database.config);
  });
  afterAll(async () => {
    await opened.first?.db.destroy();
    await opened.second?.db.destroy();
    await database?.stop();
  });
  return opened;
}
