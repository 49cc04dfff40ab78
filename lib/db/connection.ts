import "server-only";
import { getEnv } from "@/lib/env";
import { databaseConfigFor, openDatabase, type OpenDatabase } from "@/lib/db/database";

let opened: Promise<OpenDatabase> | undefined;

/** The process's database (SQLite file or Postgres), opened and migrated on first use, shared by every store. */
export function getDatabase(): Promise<OpenDatabase> {
  if (!opened) {
    opened = openDatabase(databaseConfigFor(getEnv().storage));
    // A database that was down at first use is tried again on the next request instead of failing forever.
    opened.catch(() => {
      opened = undefined;
    });
  }
  return opened;
}
