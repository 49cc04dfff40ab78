import { Client } from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { demoSession } from "../helpers/demo-session";
import { groupStackPerFile } from "../helpers/group-stack";
import { serverActionId } from "../helpers/next-app";
import { startPostgres, type TestPostgres } from "../helpers/postgres";
import { postServerAction } from "../helpers/server-action";

// The built app with DATABASE_URL set keeps its audit log in Postgres: the same operation, the same audit page, and
// the rows are really in Postgres (nothing in the data dir's SQLite file).

const GROUP = "pg-audit-cache";

let postgres: TestPostgres;

// Registered before the stack, so Postgres is up before the app starts and stopped after it.
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});
const stack = groupStackPerFile({ group: GROUP, appEnv: () => ({ DATABASE_URL: postgres.url }) });

it("records an operation in Postgres and shows it on the audit page", async () => {
  const operator = await demoSession(stack.app.url, "operator");
  const input = { account: "default", region: "us-east-1", replicationGroupId: GROUP, nodeGroupId: "0001", confirmation: GROUP };
  const { result } = await postServerAction(stack.app.url, `/clusters/us-east-1/${GROUP}/operations`, serverActionId("lib/actions/test-failover.ts", "testFailover"), [input], operator.header);
  expect(result).toMatchObject({ ok: true });

  const client = new Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query("select action, target, outcome, role, request_id from audit_records");
    expect(rows).toEqual([{ action: "cluster.test-failover", target: `${GROUP}/0001`, outcome: "succeeded", role: "operator", request_id: expect.any(String) }]);
  } finally {
    await client.end();
  }
  const admin = await demoSession(stack.app.url, "admin");
  const page = await (await fetch(new URL("/audit", stack.app.url), { headers: { cookie: admin.header } })).text();
  expect(page).toContain(`${GROUP}/0001`);
  expect(page).toMatch(/data-testid="audit-status"[^>]*>succeeded</);
});
