import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RevokedSessions } from "@/lib/auth/revoked-sessions";
import { openDatabase, type DatabaseConfig, type OpenDatabase } from "@/lib/db/database";
import { startPostgres } from "../helpers/postgres";

// Sign-outs kept in the audit log's database, on both databases CacheDeck supports.

let now = new Date("2026-03-01T12:00:00.000Z");
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);

function revocationContract(name: string, start: () => Promise<{ config: DatabaseConfig; stop(): Promise<void> }>) {
  describe(`revoked sessions on ${name}`, () => {
    let database: Awaited<ReturnType<typeof start>>;
    let opened: OpenDatabase;
    let revoked: RevokedSessions;

    beforeAll(async () => {
      database = await start();
      opened = await openDatabase(database.config);
      revoked = new RevokedSessions(opened.db, () => now);
    });
    afterAll(async () => {
      await opened?.db.destroy();
      await database?.stop();
    });

    const stored = async () => (await opened.db.selectFrom("revoked_sessions").select("session_id").orderBy("session_id").execute()).map((r) => r.session_id);

    it("refuses a session once revoked, and only that one", async () => {
      expect(await revoked.isRevoked("s-1")).toBe(false);
      await revoked.revoke("s-1", hours(8));
      expect(await revoked.isRevoked("s-1")).toBe(true);
      expect(await revoked.isRevoked("s-2")).toBe(false);
    });

    it("accepts a second sign-out of the same session (two tabs)", async () => {
      await revoked.revoke("s-1", hours(8));
      expect(await stored()).toEqual(["s-1"]);
    });

    it("forgets revocations of sessions whose lifetime is over", async () => {
      await revoked.revoke("s-2", hours(1));
      now = hours(2);
      await revoked.revoke("s-3", hours(8));
      expect(await stored()).toEqual(["s-1", "s-3"]);
    });
  });
}

revocationContract("SQLite", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-revoked-"));
  return { config: { dialect: "sqlite", file: path.join(dir, "cachedeck.sqlite") }, stop: async () => rmSync(dir, { recursive: true, force: true }) };
});

revocationContract("Postgres", async () => {
  const postgres = await startPostgres();
  return { config: { dialect: "postgres", url: postgres.url }, stop: () => postgres.stop() };
});
