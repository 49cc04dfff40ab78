import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseConfig, type OpenDatabase } from "@/lib/db/database";
import { DrillConflictError, DrillStore, type NewDrill } from "@/lib/drills/store";
import { buildReport } from "@/lib/drills/report";
import { startPostgres } from "../../helpers/postgres";
import { at } from "../../helpers/place";

// The drill store's contract on both databases: one running drill per group enforced by the database, stale runs
// turned interrupted, timelines in order, reports with their headline figures for history.

let now = new Date("2026-03-01T12:00:00.000Z");
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

const newDrill = (group: string, overrides: Partial<NewDrill> = {}): NewDrill => ({
  kind: "test-failover",
  account: "default",
  region: "us-east-1",
  replicationGroupId: group,
  parameters: { shards: ["0001"], availabilityZone: null, durationSeconds: null, probe: false },
  objectives: { newPrimarySeconds: 30, healthySeconds: 120, writeOutageSeconds: 5 },
  tags: { service: "orders", team: "checkout" },
  actor: { id: "u-omar", name: "Omar Operator", email: "omar@example.com", role: "operator" },
  auditId: 12,
  ...overrides,
});

function storeContract(name: string, start: () => Promise<{ config: DatabaseConfig; stop(): Promise<void> }>) {
  describe(`drill store on ${name}`, () => {
    let database: { config: DatabaseConfig; stop(): Promise<void> };
    let opened: OpenDatabase;
    let store: DrillStore;

    beforeAll(async () => {
      database = await start();
      opened = await openDatabase(database.config);
      store = new DrillStore(opened.db, { now: () => now, staleAfterMs: 15_000 });
    });
    afterAll(async () => {
      await opened?.db.destroy();
      await database?.stop();
    });

    it("creates a running drill and reads it back as it was written", async () => {
      const drill = await store.create(newDrill("orders"));
      expect(await store.get(drill.id)).toEqual({
        ...newDrill("orders"),
        id: drill.id,
        status: "running",
        verdict: null,
        actor: { id: "u-omar", name: "Omar Operator", email: "omar@example.com", role: "operator" },
        requestedAt: now.toISOString(),
        finishedAt: null,
        heartbeatAt: now.toISOString(),
        abortRequestedAt: null,
        abortRequestedBy: null,
        error: null,
      });
      expect(await store.running(at("us-east-1"), "orders")).toMatchObject({ id: drill.id });
    });

    it("refuses a second running drill on the same group, but not on another group or region", async () => {
      const running = await store.running(at("us-east-1"), "orders");
      await expect(store.create(newDrill("orders"))).rejects.toThrow(DrillConflictError);
      await expect(store.create(newDrill("orders"))).rejects.toThrow(`Drill #${running!.id} on orders, started by Omar Operator, is still running`);
      const elsewhere = await store.create(newDrill("orders", { region: "eu-west-1" }));
      const other = await store.create(newDrill("catalog"));
      expect(await store.finish(elsewhere.id, { status: "completed", verdict: "pass" })).toBe(true);
      expect(await store.finish(other.id, { status: "aborted", verdict: "inconclusive" })).toBe(true);
    });

    it("refuses concurrent starts at the database, whoever gets there first", async () => {
      const results = await Promise.allSettled([store.create(newDrill("racy")), store.create(newDrill("racy")), store.create(newDrill("racy"))]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([
        expect.any(DrillConflictError),
        expect.any(DrillConflictError),
      ]);
    });

    it("takes an abort request once, only while running", async () => {
      const drill = (await store.running(at("us-east-1"), "orders"))!;
      expect(await store.requestAbort(drill.id, "Ada Admin")).toBe(true);
      expect(await store.requestAbort(drill.id, "Ada Admin")).toBe(false);
      expect(await store.get(drill.id)).toMatchObject({ abortRequestedBy: "Ada Admin", abortRequestedAt: now.toISOString() });
    });

    it("shows a drill without heartbeat as interrupted, then marks it so, which frees the group", async () => {
      const drill = (await store.running(at("us-east-1"), "orders"))!;
      advance(10_000);
      await store.heartbeat(drill.id);
      advance(10_000);
      expect((await store.get(drill.id))?.status).toBe("running");
      advance(6_000);
      expect(await store.get(drill.id)).toMatchObject({ status: "interrupted", error: expect.stringMatching(/CacheDeck stopped/) });
      expect(await store.running(at("us-east-1"), "orders")).toBeUndefined();
      expect((await store.list({ status: "interrupted" })).map((d) => d.id)).toContain(drill.id);

      const [racy] = await store.list({ replicationGroupId: "racy" });
      expect((await store.markStaleInterrupted()).sort()).toEqual([drill.id, racy.id].sort());
      expect(await store.markStaleInterrupted()).toEqual([]);
      // Marked together with its report, so a reader that sees the status finds the report and history its figures.
      expect(await store.report(drill.id)).toMatchObject({ drillId: drill.id, status: "interrupted", verdict: { verdict: "inconclusive" } });
      expect(await store.get(drill.id)).toMatchObject({ status: "interrupted", verdict: "inconclusive" });
      expect(await store.finish(drill.id, { status: "completed", verdict: "pass" })).toBe(false);
      const next = await store.create(newDrill("orders"));
      expect(next.status).toBe("running");
    });

    it("marks at once a drill whose runner is known to be gone, whatever its heartbeat", async () => {
      const dead = new DrillStore(opened.db, { now: () => now, runner: "host|123|gone", runnerGone: (runner) => runner.endsWith("|gone") });
      const drill = await dead.create(newDrill("restarted"));
      expect((await dead.get(drill.id))?.status).toBe("interrupted");
      expect((await store.get(drill.id))?.status).toBe("running");
      expect(await store.report(drill.id)).toBeUndefined();
      // A new drill on the group marks the dead one first, and writes its report as the sweep does.
      const next = await dead.create(newDrill("restarted"));
      expect((await store.get(drill.id))?.status).toBe("interrupted");
      expect(await store.report(drill.id)).toMatchObject({ status: "interrupted", verdict: { verdict: "inconclusive" } });
      expect(await dead.markStaleInterrupted()).toEqual([next.id]);
    });

    it("keeps the timeline in order and returns only what came after a given entry", async () => {
      const drill = (await store.running(at("us-east-1"), "orders"))!;
      const first = await store.appendTimeline(drill.id, { kind: "api-call", shard: "0001", message: "TestFailover called", data: { operation: "TestFailover", requestId: "r-1", durationMs: 41, auditId: 13 } });
      advance(1_500);
      const second = await store.appendTimeline(drill.id, {
        kind: "event",
        shard: null,
        message: "Test Failover API called for node group 0001",
        data: { sourceType: "replication-group", sourceIdentifier: "orders", date: "2026-03-01T12:00:27.000Z" },
      });
      expect(await store.timeline(drill.id)).toEqual([first, second]);
      expect(first).toMatchObject({ drillId: drill.id, kind: "api-call", shard: "0001", data: { requestId: "r-1" } });
      expect(await store.timeline(drill.id, first.id)).toEqual([second]);
    });

    it("stores reports and lists history newest first with the headline figures", async () => {
      const drill = (await store.running(at("us-east-1"), "orders"))!;
      await store.appendTimeline(drill.id, { kind: "primary-change", shard: "0001", message: "new primary", data: { oldPrimary: null, newPrimary: { cacheClusterId: "orders-002", availabilityZone: "us-east-1b" }, detectedBy: "describe" } });
      advance(5_000);
      await store.appendTimeline(drill.id, { kind: "shard-healthy", shard: "0001", message: "healthy", data: {} });
      await store.finish(drill.id, { status: "completed", verdict: "pass" });
      const finished = (await store.get(drill.id))!;
      const report = buildReport(finished, await store.timeline(drill.id));
      await store.saveReport(report);
      await store.saveReport(report);
      expect(await store.report(drill.id)).toEqual(report);

      const history = await store.history({ region: "us-east-1", replicationGroupId: "orders" });
      expect(history[0]).toMatchObject({ id: drill.id, status: "completed", verdict: "pass", newPrimaryMs: report.newPrimaryMs, healthyMs: report.healthyMs, tags: { team: "checkout" } });
      expect(report.newPrimaryMs).toBeGreaterThan(0);
      expect(history.map((h) => h.id)).toEqual([...history.map((h) => h.id)].sort((a, b) => b - a));
      expect(await store.last(at("us-east-1"), "orders")).toMatchObject({ id: drill.id });
      const latest = await store.latestPerGroup();
      expect(latest.map((d) => `${d.region}/${d.replicationGroupId}`).sort()).toEqual(["eu-west-1/orders", "us-east-1/catalog", "us-east-1/orders", "us-east-1/racy", "us-east-1/restarted"]);
    });

    it("keeps each drill's account: the same group id in another account is another group", async () => {
      const here = await store.create(newDrill("shared-id"));
      const staging = { account: "staging", region: "us-east-1" };
      const there = await store.create(newDrill("shared-id", { account: "staging" }));
      await expect(store.create(newDrill("shared-id", { account: "staging" }))).rejects.toThrow(DrillConflictError);
      expect(await store.get(there.id)).toMatchObject({ account: "staging", region: "us-east-1", replicationGroupId: "shared-id" });
      expect(await store.running(staging, "shared-id")).toMatchObject({ id: there.id });
      expect(await store.running(at("us-east-1"), "shared-id")).toMatchObject({ id: here.id, account: "default" });
      expect((await store.history({ account: "staging" })).map((h) => [h.id, h.account])).toEqual([[there.id, "staging"]]);
      const latest = await store.latestPerGroup();
      expect(latest.filter((d) => d.replicationGroupId === "shared-id").map((d) => d.account).sort()).toEqual(["default", "staging"]);
    });
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-drill-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract("SQLite", async () => ({ config: { dialect: "sqlite", file: path.join(dir, "drills.sqlite") }, stop: async () => undefined }));
storeContract("Postgres", async () => {
  const pg = await startPostgres();
  return { config: { dialect: "postgres", url: pg.url }, stop: pg.stop };
});
