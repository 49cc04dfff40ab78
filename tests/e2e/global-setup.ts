import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DescribeCacheClustersCommand, DescribeReplicationGroupsCommand, DescribeServerlessCachesCommand } from "@aws-sdk/client-elasticache";
import type { TestProject } from "vitest/node";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, REPO_ROOT, startEmulatorProcess, tempDataDir } from "../helpers/emulator";
import { startApp } from "../helpers/next-app";

declare module "vitest" {
  export interface ProvidedContext {
    /** The app served against the shared demo-fleet emulator, in demo mode. */
    baseUrl: string;
    emulatorUrl: string;
    regions: string[];
  }
}

const demoRegions = ["us-east-1", "eu-west-1"];

// Builds the app once for every end-to-end test file. CACHEDECK_E2E_REUSE_BUILD=1 skips the build while iterating on
// tests alone. Files that need their own environment serve the build themselves (tests/helpers/next-app.ts).
function buildApp(): void {
  if (process.env.CACHEDECK_E2E_REUSE_BUILD === "1" && fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"))) return;
  const started = Date.now();
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error(`next build failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
  console.log(`[e2e] next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function demoFleetAvailable(url: string): Promise<boolean> {
  const us = elasticacheClient(url, "us-east-1");
  const eu = elasticacheClient(url, "eu-west-1");
  const [usGroups, euGroups, usClusters, euClusters, serverless] = await Promise.all([
    us.send(new DescribeReplicationGroupsCommand({})),
    eu.send(new DescribeReplicationGroupsCommand({})),
    us.send(new DescribeCacheClustersCommand({})),
    eu.send(new DescribeCacheClustersCommand({})),
    us.send(new DescribeServerlessCachesCommand({})),
  ]);
  const clusters = [...(usClusters.CacheClusters ?? []), ...(euClusters.CacheClusters ?? [])];
  const groups = [...(usGroups.ReplicationGroups ?? []), ...(euGroups.ReplicationGroups ?? [])];
  return (
    groups.length === 3 &&
    groups.every((g) => g.Status === "available") &&
    clusters.length > 0 &&
    clusters.every((c) => c.CacheClusterStatus === "available") &&
    serverless.ServerlessCaches?.length === 1 &&
    serverless.ServerlessCaches.every((s) => s.Status?.toLowerCase() === "available")
  );
}

/**
 * Once per e2e run: the build, and an emulator process with the demo fleet (and its traffic, when the emulator has
 * it) served to a shared `next start` in demo mode. Tests get the URLs through inject().
 */
export default async function setup(project: TestProject) {
  const emulatorDir = tempDataDir("e2e-emulator");
  const emulator = await startEmulatorProcess({ dataDir: emulatorDir, fleetFile: path.join(REPO_ROOT, "emulator/fleets/demo.json") });
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    buildApp();
    await waitFor(() => demoFleetAvailable(emulator.url), { timeoutMs: 120_000, intervalMs: 500, description: "the demo fleet to be available" });
    app = await startApp({ awsEndpoint: emulator.url, regions: demoRegions });
  } catch (error) {
    await emulator.stop();
    fs.rmSync(emulatorDir, { recursive: true, force: true });
    throw error;
  }
  project.provide("baseUrl", app.url);
  project.provide("emulatorUrl", emulator.url);
  project.provide("regions", demoRegions);

  return async () => {
    await app?.stop();
    await emulator.stop();
    fs.rmSync(emulatorDir, { recursive: true, force: true });
  };
}
