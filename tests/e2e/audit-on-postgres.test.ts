import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { demoSession } from "../helpers/demo-session";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "../helpers/emulator";
import { serverActionId, startApp, type RunningApp } from "../helpers/next-app";
import { startPostgres, type TestPostgres } from "../helpers/postgres";
import { postServerAction } from "../helpers/server-action";
import { smallFleetFile } from "../helpers/small-fleet";

// The built app with DATABASE_URL set keeps its audit log in Postgres: the same operation, the same audit page, and
// the rows are really in Postgres (nothing in the data dir's SQLite file).

const GROUP = "pg-audit-cache";

let dir: string;
let postgres: TestPostgres;
let emulator: TestEmulator;
let app: RunningApp;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-pg-app-"));
  [postgres, emulator] = await Promise.all([startPostgres(), startTestEmulator({ fleetFile: smallFleetFile(dir, GROUP) })]);
  app = await startApp({ awsEndpoint: emulator.url, env: { DATABASE_URL: postgres.url } });
  await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
});

afterAll(async () => {
  await app?.stop();
  await emulator?.dispose();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("records an operation in Postgres and shows it on the audit page", async () => {
  const operator = await demoSession(app.url, "operator");
  const input = { region: "us-east-1", replicationGroupId: GROUP, nodeGroupId: "0001", confirmation: GROUP };
  const { result } = await postServerAction(app.url, `/clusters/us-east-1/${GROUP}/operations`, serverActionId("lib/actions/test-failover.ts", "testFailover"), [input], operator.header);
  expect(result).toMatchObject({ ok: true });

  const client = new Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query("select action, target, outcome, role, request_id from audit_records");
    expect(rows).toEqual([{ action: "cluster.test-failover", target: `${GROUP}/0001`, outcome: "succeeded", role: "operator", request_id: expect.any(String) }]);
  } finally {
    await client.end();
  }
  const admin = await demoSession(app.url, "admin");
  const page = await (await fetch(new URL("/audit", app.url), { headers: { cookie: admin.header } })).text();
  expect(page).toContain(`${GROUP}/0001`);
  expect(page).toMatch(/data-testid="audit-status"[^>]*>succeeded</);
});
