import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import type { EmulatorOptions } from "@/emulator/component";
import { startEmulator, type RunningEmulator } from "@/emulator/emulator";
import { findStalePids } from "@/emulator/nodes/stale-processes";
import { waitFor } from "@/emulator/nodes/wait-for";

// Starting the emulator in tests, shared by every test that needs one: in-process (fast, direct access to the
// control plane) or as its own process (`npm run emulator`'s entry, for signals, SIGKILL and restarts).

export const REPO_ROOT = path.resolve(__dirname, "../..");
/** Fake credentials: the emulator reads the region from the signature and checks nothing else. */
export const TEST_CREDENTIALS = { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret" };

export function tempDataDir(label = "emulator"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cachedeck-${label}-`));
}

/** An SDK client for the emulator; one attempt, so an error reaches the test instead of being retried. */
export function elasticacheClient(url: string, region = "us-east-1"): ElastiCacheClient {
  return new ElastiCacheClient({ endpoint: url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

export interface TestEmulator extends RunningEmulator {
  dataDir: string;
  /** Stops the emulator and removes its data dir. */
  dispose(): Promise<void>;
}

/** An in-process emulator on a free port with a fresh (or the given) data dir. */
export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? tempDataDir();
  const emulator = await startEmulator({ port: 0, ...options, dataDir });
  return {
    ...emulator,
    dataDir,
    async dispose() {
      await emulator.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Node processes (redis-server, memcached) still running for an emulator data dir. */
export function nodeProcessesOf(dataDir: string): number[] {
  return findStalePids(path.resolve(dataDir), new Set());
}

export interface EmulatorProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs emulator/main.ts as `npm run emulator` does, in its own process; resolves once it prints "listening on". */
export async function startEmulatorProcess(args: { dataDir: string; fleetFile?: string; port?: number }): Promise<EmulatorProcess> {
  const argv = ["--import", "tsx", "emulator/main.ts", "--port", String(args.port ?? 0), "--data-dir", args.dataDir];
  if (args.fleetFile) argv.push("--fleet", args.fleetFile);
  const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const listening = await Promise.race([
    waitFor(() => /^listening on (http:\/\/127\.0\.0\.1:(\d+))\n/m.exec(stdout), { timeoutMs: 60_000, description: "the emulator to print its address" }),
    exited.then((code) => {
      throw new Error(`the emulator exited with code ${code} before listening:\n${stderr}`);
    }),
  ]);
  return {
    url: listening[1],
    port: Number(listening[2]),
    child,
    stderr: () => stderr,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls DescribeCacheClusters until the cluster has `status` (or throws after the deadline). */
export async function waitForCacheCluster(client: ElastiCacheClient, id: string, status = "available", timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const { CacheClusters } = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: id }));
      return CacheClusters?.[0]?.CacheClusterStatus === status || undefined;
    },
    { timeoutMs, intervalMs: 100, description: `cache cluster ${id} to be ${status}` },
  );
}

/** Polls DescribeReplicationGroups until the group has `status` (or throws after the deadline). */
export async function waitForReplicationGroup(
  client: ElastiCacheClient,
  id: string,
  status = "available",
  timeoutMs = 60_000,
): Promise<ReplicationGroup> {
  return waitFor(
    async () => {
      const { ReplicationGroups } = await client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }));
      return ReplicationGroups?.[0]?.Status === status ? ReplicationGroups[0] : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `replication group ${id} to be ${status}` },
  );
}

/** Points this process's AWS SDK clients (the app's lib/aws, as the watcher uses it) at `url` with the emulator's credentials. */
export function pointAwsSdkAt(url: string): void {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
  });
}
