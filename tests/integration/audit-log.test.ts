import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { AuditLog, type AuditActor, type AuditRequest } from "@/lib/audit/audit-log";
import { openDatabase, type DatabaseConfig, type OpenDatabase } from "@/lib/db/database";
import { migrationsFor } from "@/lib/db/migrations";
import { startPostgres, type TestPostgres } from "../helpers/postgres";

const ada: AuditActor = { id: "u-ada", name: "Ada Admin", email: "ada@example.com", role: "admin" };
const omar: AuditActor = { id: "u-omar", name: "Omar 100% Operator", email: "omar@example.com", role: "operator" };

const request = (actor: AuditActor, overrides: Partial<AuditRequest> = {}): AuditRequest => ({
  actor,
  action: "cluster.test-failover",
  account: "default",
  region: "us-east-1",
  target: "orders-cache/0001",
  parameters: { replicationGroupId: "orders-cache", nodeGroupId: "0001" },
  ...overrides,
});

// One clock for the whole suite, moved by the tests, so "unfinished" is decided without waiting.
let now = new Date("2026-03-01T12:00:00.000Z");
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

interface TestDatabase {
  config: DatabaseConfig;
  stop(): Promise<void>;
}

function auditLogContract(name: string, start: () => Promise<TestDatabase>) {
  describe(`audit log on ${name}`, () => {
    let database: TestDatabase;
    let opened: OpenDatabase;
    let log: AuditLog;
    const config = async () => database.config;

    beforeAll(async () => {
      database = await start();
      opened = await openDatabase(database.config);
      log = new AuditLog(opened.db, { now: () => now, unfinishedAfterMs: 60_000 });
    });
    afterAll(async () => {
      await opened?.db.destroy();
      await database?.stop();
    });

    it("writes a pending record, then completes it with outcome and request id", async () => {
      const id = await log.begin(request(ada));
      const pending = await log.get(id);
      expect(pending).toMatchObject({
        actor: { id: "u-ada", name: "Ada Admin", email: "ada@example.com" },
        role: "admin",
        action: "cluster.test-failover",
        region: "us-east-1",
        target: "orders-cache/0001",
        parameters: { replicationGroupId: "orders-cache", nodeGroupId: "0001" },
        requestedAt: now.toISOString(),
        finishedAt: null,
        outcome: "pending",
        status: "in-progress",
      });
      advance(1500);
      await log.complete(id, { outcome: "succeeded", requestId: "req-123" });
      expect(await log.get(id)).toMatchObject({ outcome: "succeeded", status: "succeeded", requestId: "req-123", finishedAt: now.toISOString(), error: null, followUp: null });
      // What the follow-up found (the engine upgrade's probe) is added later, once.
      await log.recordFollowUp(id, "probe: 12 writes acknowledged, 0 lost, longest refused-write window 0 ms");
      expect((await log.get(id))!.followUp).toBe("probe: 12 writes acknowledged, 0 lost, longest refused-write window 0 ms");
      await expect(log.recordFollowUp(id, "again")).rejects.toThrow(/has a follow-up already/);
    });

    it("keeps each record's AWS account, lists the accounts on record and filters by one", async () => {
      const staging = await log.begin(request(omar, { account: "staging", target: "accounts-group/0001" }));
      const payments = await log.begin(request(omar, { account: "payments-prod", target: "accounts-group/0001" }));
      expect(await log.get(staging)).toMatchObject({ account: "staging", region: "us-east-1" });
      expect((await log.list({ target: "accounts-group", account: "payments-prod" })).map((r) => r.id)).toEqual([payments]);
      expect((await log.list({ target: "accounts-group" })).map((r) => r.id)).toEqual([payments, staging]);
      expect(await log.accounts("u-omar")).toEqual(expect.arrayContaining(["payments-prod", "staging"]));
      expect(await log.accounts("u-nobody")).toEqual([]);
      for (const id of [staging, payments]) await log.complete(id, { outcome: "succeeded" });
    });

    it("records a failure's error and refuses to complete a record twice", async () => {
      const id = await log.begin(request(omar));
      await log.complete(id, { outcome: "failed", error: "The group is modifying; try again when it is available." });
      expect(await log.get(id)).toMatchObject({ outcome: "failed", status: "failed", error: expect.stringMatching(/modifying/) });
      await expect(log.complete(id, { outcome: "succeeded" })).rejects.toThrow(/not pending/);
    });

    it("shows a record still pending after the threshold as unfinished", async () => {
      const id = await log.begin(request(omar, { target: "stuck-group" }));
      expect((await log.get(id))?.status).toBe("in-progress");
      expect((await log.list({ status: "in-progress" })).map((r) => r.id)).toContain(id);
      advance(61_000);
      expect((await log.get(id))?.status).toBe("unfinished");
      expect((await log.list({ status: "unfinished" })).map((r) => r.id)).toEqual([id]);
      expect((await log.list({ status: "in-progress" })).map((r) => r.id)).not.toContain(id);
    });

    it("filters by actor, who, action, status, target and time, newest first, with paging", async () => {
      const t0 = advance(60_000).toISOString();
      const scale = await log.begin(request(ada, { action: "cluster.modify-replica-count", target: "Sessions-Store" }));
      await log.complete(scale, { outcome: "succeeded", requestId: "r-2" });
      advance(60_000);
      const failover = await log.begin(request(omar, { target: "orders-cache/0002" }));
      await log.complete(failover, { outcome: "succeeded", requestId: "r-3" });

      const ids = async (filter: Parameters<AuditLog["list"]>[0]) => (await log.list(filter)).map((r) => r.id);
      const all = await ids({});
      expect(all).toEqual([...all].sort((a, b) => b - a));
      expect(all.slice(0, 2)).toEqual([failover, scale]);

      expect(await ids({ actorId: "u-ada" })).toEqual(expect.arrayContaining([scale]));
      expect(await ids({ actorId: "u-ada" })).not.toContain(failover);
      expect((await log.list({ who: "OMAR@EXAMPLE" })).every((r) => r.actor.id === "u-omar")).toBe(true);
      expect(await ids({ who: "100%" })).toContain(failover);
      expect(await ids({ who: "1000" })).toEqual([]);
      expect(await ids({ who: "_" })).toEqual([]);
      expect(await ids({ action: "cluster.modify-replica-count" })).toEqual([scale]);
      expect(await ids({ target: "sessions" })).toEqual([scale]);
      expect(await ids({ from: new Date(t0), status: "succeeded" })).toEqual([failover, scale]);
      expect(await ids({ from: new Date(t0), to: new Date(new Date(t0).getTime() + 1000) })).toEqual([scale]);
      expect(await ids({ beforeId: failover, limit: 1 })).toEqual([scale]);
      expect(await log.actions()).toEqual(["cluster.modify-replica-count", "cluster.test-failover"]);
      // An operator's filter menu offers only the actions on their own records, not what others ran.
      expect(await log.actions("u-omar")).toEqual(["cluster.test-failover"]);
    });

    it("migrates once: opening the database again leaves the schema and the records alone", async () => {
      const before = await log.list({});
      const again = await openDatabase(await config());
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(again.db);
      // Every migration of the list applied exactly once (other features add theirs after 001).
      expect(migrations.rows.map((r) => r.name)).toEqual(Object.keys(migrationsFor(opened.dialect)).sort());
      expect(migrations.rows[0].name).toBe("001-audit-records");
      expect(await new AuditLog(again.db, { now: () => now }).list({})).toHaveLength(before.length);
      await again.db.destroy();
    });

    it("reads records written under the old drill names under the verb-noun ones, and filters by either", async () => {
      const old = await log.begin(request(omar, { action: "drill.start", target: "orders-cache" }));
      const current = await log.begin(request(omar, { action: "cluster.start-drill", target: "orders-cache" }));
      expect((await log.get(old))?.action).toBe("cluster.start-drill");
      const byNew = (await log.list({ action: "cluster.start-drill" })).map((r) => r.id);
      const byOld = (await log.list({ action: "drill.start" })).map((r) => r.id);
      expect(byNew).toEqual([current, old]);
      expect(byOld).toEqual([current, old]);
      const actions = await log.actions("u-omar");
      expect(actions).toContain("cluster.start-drill");
      expect(actions).not.toContain("drill.start");
    });

    it("records a follow-up whose process died as stopped, once, and leaves running and finished ones alone", async () => {
      const upgrade = () => log.begin(request(ada, { action: "cluster.upgrade-engine", target: "legacy" }));
      const [quiet, killed, alive, finished] = [await upgrade(), await upgrade(), await upgrade(), await upgrade()];
      for (const id of [quiet, killed, alive, finished]) await log.complete(id, { outcome: "succeeded" });
      await log.followUpRunning(quiet, "host-a|101|boot");
      await log.followUpRunning(killed, "host-a|102|gone");
      await log.followUpRunning(alive, "host-b|103|boot");
      await log.followUpRunning(finished, "host-b|104|boot");
      const sweep = () =>
        log.settleAbandonedFollowUps({ staleAfterMs: 15_000, runnerGone: (runner) => runner.endsWith("|gone"), finding: (id) => `probe: stopped (#${id})` });
      // At once: only the probe whose process is known to be dead.
      expect(await sweep()).toEqual([killed]);
      advance(10_000);
      await log.followUpHeartbeat(alive);
      await log.recordFollowUp(finished, "probe: 40 writes acknowledged, 0 lost, longest refused-write window 0 ms");
      advance(10_000);
      // 20 s without a heartbeat: the quiet one; the one that kept beating is still running; the finished one stays.
      expect(await sweep()).toEqual([quiet]);
      expect(await sweep()).toEqual([]);
      expect((await log.get(quiet))!.followUp).toBe(`probe: stopped (#${quiet})`);
      expect((await log.get(killed))!.followUp).toBe(`probe: stopped (#${killed})`);
      expect((await log.get(alive))!.followUp).toBeNull();
      expect((await log.get(finished))!.followUp).toBe("probe: 40 writes acknowledged, 0 lost, longest refused-write window 0 ms");
      // A probe that ends after it was recorded as stopped cannot overwrite what the record says.
      await expect(log.recordFollowUp(quiet, "probe: late")).rejects.toThrow(/has a follow-up already/);
      advance(60_000);
      expect(await sweep()).toEqual([alive]);
    });
  });
}

auditLogContract("SQLite", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-audit-"));
  return {
    config: { dialect: "sqlite", file: path.join(dir, "nested", "cachedeck.sqlite") },
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

auditLogContract("Postgres", async () => {
  const postgres: TestPostgres = await startPostgres();
  return { config: { dialect: "postgres", url: postgres.url }, stop: postgres.stop };
});
