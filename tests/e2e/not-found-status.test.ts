import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoSession, type DemoSession } from "../helpers/demo-session";

// Pages for things that do not exist answer 404, not a 200 that happens to show the not-found page: the lookup runs
// before any loading boundary, so the status is decided before the response starts streaming.

const baseUrl = inject("baseUrl");
let session: DemoSession;

beforeAll(async () => {
  session = await demoSession(baseUrl, "viewer");
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL(path, baseUrl), { headers: { cookie: session.header }, redirect: "manual" });
  return { status: response.status, body: await response.text() };
}

describe("HTTP status of detail pages", () => {
  it("answers 200 with the page for an existing cluster and serverless cache", async () => {
    const group = await get("/clusters/us-east-1/orders-sessions");
    expect(group.status).toBe(200);
    expect(group.body).toContain("orders-sessions-001");
    const memcached = await get("/clusters/eu-west-1/pricing-memcached");
    expect(memcached.status).toBe(200);
    const serverless = await get("/serverless/us-east-1/user-profiles");
    expect(serverless.status).toBe(200);
    expect(serverless.body).toContain("Data storage limit");
  });

  it.each([
    "/clusters/us-east-1/no-such-cluster",
    "/clusters/ap-south-1/orders-sessions",
    "/serverless/eu-west-1/no-such-cache",
    "/drills/987654",
    "/drills/not-a-number",
  ])("answers 404 with the not-found page for %s", async (path) => {
    const page = await get(path);
    expect(page.status).toBe(404);
    expect(page.body).toMatch(/No such|not found/i);
  });
});
