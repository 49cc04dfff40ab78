import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { waitFor } from "../../emulator/nodes/wait-for";
import { signIn } from "../../tests/e2e/sign-in";
import { startAppStack } from "./app-stack";
import { machineDescription } from "./machine";

// The dashboard as a person meets it: `next start` against an in-process emulator with the demo fleet, a counting
// proxy between them (every AWS call on the wire), Debian's Chromium signed in as the demo viewer.

const root = path.resolve(__dirname, "../..");
const regions = ["us-east-1", "eu-west-1"];
const pages: [string, string][] = [
  ["Fleet (2 regions, 5 clusters)", "/"],
  ["Replication group, cluster mode disabled (3 nodes)", "/clusters/us-east-1/orders-sessions"],
  ["Replication group, cluster mode (3 shards × 2)", "/clusters/us-east-1/catalog-cache"],
  ["Memcached cluster (2 nodes)", "/clusters/eu-west-1/pricing-memcached"],
  ["Serverless cache", "/serverless/us-east-1/user-profiles"],
];

function ensureBuild(): void {
  if (existsSync(path.join(root, ".next/BUILD_ID")) && process.env.CACHEDECK_BENCH_REBUILD !== "1") return;
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root, encoding: "utf8", env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
}

function countOps(operations: string[]): string {
  const counts = new Map<string, number>();
  for (const op of operations) counts.set(op, (counts.get(op) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${op} ${n}`).join(", ");
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function bundleTable(): string {
  const stats = JSON.parse(readFileSync(path.join(root, ".next/diagnostics/route-bundle-stats.json"), "utf8")) as {
    route: string;
    firstLoadUncompressedJsBytes: number;
    firstLoadChunkPaths: string[];
  }[];
  const gz = (file: string) => gzipSync(readFileSync(path.join(root, file))).length;
  const shared = stats.map((s) => new Set(s.firstLoadChunkPaths)).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
  const rows = stats
    .filter((s) => !s.route.startsWith("/_") && !s.route.startsWith("/api"))
    .map((s) => {
      const own = s.firstLoadChunkPaths.filter((f) => !shared.has(f));
      const total = s.firstLoadChunkPaths.reduce((sum, f) => sum + gz(f), 0);
      return `| ${s.route} | ${kb(s.firstLoadUncompressedJsBytes)} | ${kb(total)} | ${kb(own.reduce((sum, f) => sum + gz(f), 0))} |`;
    });
  const charts = readdirChunks().filter((f) => readFileSync(path.join(root, f), "utf8").includes("recharts-cartesian-grid"));
  return [
    "| route | first-load JS | gzip | gzip beyond the shared framework chunks |",
    "|---|---:|---:|---:|",
    ...rows,
    "",
    `The charts (recharts) load after first paint, in their own chunk${charts.length > 1 ? "s" : ""}: ${kb(charts.reduce((sum, f) => sum + gz(f), 0))} gzip.`,
  ].join("\n");
}

function readdirChunks(): string[] {
  return readdirSync(path.join(root, ".next/static/chunks")).filter((f) => f.endsWith(".js")).map((f) => path.join(".next/static/chunks", f));
}

export default async function bench(): Promise<string> {
  ensureBuild();
  const { emulator, proxy, app, browser, stop } = await startAppStack({ label: "dashboard", fleetFile: path.join(root, "emulator/fleets/demo.json"), regions });
  const lines: string[] = [];
  try {
    const client = new ElastiCacheClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
    await waitFor(async () => (await client.send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups?.every((g) => g.Status === "available"), { timeoutMs: 60_000 });
    const page = await browser.context.newPage();
    const measure = async (visit: string) => {
      await page.waitForFunction(() => !document.querySelector("[aria-busy=true]") && document.querySelector("main h1"), undefined, { timeout: 30_000 });
      const [paint, ready] = await page.evaluate(() => [performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0, performance.now()]);
      const calls = `${visit}: ${proxy.operations.length} (${countOps(proxy.operations)})`;
      proxy.reset();
      return { calls, timing: `${visit} ${Math.round(paint)} / ${Math.round(ready)} ms` };
    };
    proxy.reset();
    // Signing in lands on the fleet: that is the fleet's cold visit.
    await signIn(page, app.url, "viewer");
    let cold: Awaited<ReturnType<typeof measure>> | undefined = await measure("cold");
    for (const [label, route] of pages) {
      if (!cold) {
        await page.goto(app.url + route, { waitUntil: "load" });
        cold = await measure("cold");
      }
      await page.goto(app.url + route, { waitUntil: "load" });
      const warm = await measure("warm");
      lines.push(`| ${label} | ${cold.calls}<br>${warm.calls} | ${cold.timing}<br>${warm.timing} |`);
      cold = undefined;
    }
  } finally {
    await stop();
  }
  const machine = `Machine: ${machineDescription()}. The machine is shared with other work, so treat the timings as upper bounds.`;
  return [
    `## Dashboard (app/, lib/aws, lib/data)\n\n${machine}\n`,
    "`next start` against an in-process emulator with the demo fleet, with a counting proxy in between that sees every",
    "AWS call on the wire; Debian's Chromium signed in as the demo viewer. \"cold\" is the first visit of the page after",
    "the server started (the fleet page's cold visit is the one right after sign-in; the cluster pages then find their",
    "tags already cached by it), \"warm\" the reload that follows:",
    "tags are cached for 5 minutes, everything else is read fresh on every render. Timings: first contentful paint /",
    "page complete (data rendered, no loading skeleton left), from navigation start.",
    "",
    "| page | AWS calls per render | first paint / complete |",
    "|---|---|---|",
    ...lines,
    "",
    "GetMetricData is one call per region however many clusters it holds (up to 500 queries a call); Describe* calls",
    "page with MaxRecords 100. Live refresh repeats the warm figure every 30 s on the fleet and every 10 s on a cluster.",
    "",
    "### Bundle (from `.next/diagnostics/route-bundle-stats.json` after `next build`)",
    "",
    bundleTable(),
  ].join("\n");
}
