import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { REPO_ROOT } from "../helpers/emulator";
import { signedInPage } from "./session";

// What must never reach a browser: server-side modules (AWS SDK, database, Redis client) in the client bundle, and
// the secrets the server runs with in anything it sends — HTML, flight data, JSON — even to an admin.
const baseUrl = inject("baseUrl");
const session = signedInPage(baseUrl, "admin");

/** The AWS secret key tests/helpers/next-app.ts gives the app, and lib/env.ts's demo-mode cookie secret. */
const secrets = ["emulator-secret", "cachedeck-demo-mode-session-secret-not-for-production"];
const serverOnlyMarkers = [...secrets, "AWS_SECRET_ACCESS_KEY", "NEXTAUTH_SECRET", "ElastiCacheClient", "CloudWatchClient", "aws4_request", "better-sqlite3", "kysely", "ioredis"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

describe("nothing secret or server-only reaches the browser", () => {
  it("keeps server modules and secret names out of every client chunk", () => {
    const chunks = filesUnder(path.join(REPO_ROOT, ".next/static")).filter((file) => file.endsWith(".js"));
    expect(chunks.length).toBeGreaterThan(0);
    const leaks = chunks.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return serverOnlyMarkers.filter((marker) => text.includes(marker)).map((marker) => `${path.basename(file)}: ${marker}`);
    });
    expect(leaks).toEqual([]);
  });

  it("sends no secret in any page, flight payload or API answer an admin receives", async () => {
    const page = session.page;
    const bodies: string[] = [];
    const seen: Promise<void>[] = [];
    page.on("response", (response) => {
      if (!response.url().startsWith(baseUrl)) return;
      seen.push(response.text().then((text) => void bodies.push(text), () => undefined));
    });
    for (const route of ["/", "/clusters/us-east-1/orders-sessions", "/serverless/us-east-1/user-profiles", "/audit", "/drills", "/overview", "/api/auth/session"]) {
      await page.goto(`${baseUrl}${route}`);
      await page.waitForLoadState("networkidle");
    }
    await Promise.all(seen);
    expect(bodies.length).toBeGreaterThan(7);
    expect(bodies.join("\n")).toContain("orders-sessions");
    for (const secret of secrets) expect(bodies.filter((body) => body.includes(secret))).toEqual([]);
  });
});
