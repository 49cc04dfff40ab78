import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { AuditLog, DEFAULT_UNFINISHED_AFTER_MS } from "@/lib/audit/audit-log";
import { openDatabase } from "@/lib/db/database";

const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-durability-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runUntilCalling(file: string): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "fixtures/action-killed-mid-call.mts"), file], {
    cwd: path.resolve(__dirname, "../.."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (!chunk.toString().includes("calling")) return;
      // The hardest way to die: no handler, no flush, exactly as a crash or an OOM kill would.
      child.kill("SIGKILL");
      child.once("exit", () => resolve());
    });
    child.once("exit", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`child exited (${code}) before calling: ${stderr}`));
    });
  });
}

it("keeps the record of an operation whose process was killed mid-call, shown as unfinished after restart", async () => {
  const file = path.join(dir, "cachedeck.sqlite");
  await runUntilCalling(file);

  const { db } = await openDatabase({ dialect: "sqlite", file });
  try {
    const justAfter = new AuditLog(db);
    const [record] = await justAfter.list({});
    expect(record).toMatchObject({
      action: "cluster.test-failover",
      target: "orders-cache",
      actor: { id: "u-omar" },
      outcome: "pending",
      finishedAt: null,
      status: "in-progress",
    });

    const later = new AuditLog(db, { now: () => new Date(Date.now() + DEFAULT_UNFINISHED_AFTER_MS + 1000) });
    expect((await later.get(record.id))?.status).toBe("unfinished");
    expect((await later.list({ status: "unfinished" })).map((r) => r.id)).toEqual([record.id]);
  } finally {
    await db.destroy();
  }
});
