import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import {
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCachesCommand,
} from "@aws-sdk/client-elasticache";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ping as memcachedPing } from "@/emulator/nodes/memcached-admin";
import { isProcessAlive } from "@/emulator/nodes/node-process";
import { ping as redisPing } from "@/emulator/nodes/redis-admin";
import { clusterInfo } from "@/emulator/nodes/redis-cluster";
import { waitFor } from "@/emulator/nodes/wait-for";
import {
  elasticacheClient,
  nodeProcessesOf,
  REPO_ROOT,
  startEmulatorProcess,
  tempDataDir,
  waitForReplicationGroup,
  type EmulatorProcess,
} from "@/tests/helpers/emulator";

const FLEET = path.join(__dirname, "fixtures/small-fleet.json");
const NODES_IN_FLEET = 2 + 4 + 1 + 1;

let dataDir: string;
let emulator: EmulatorProcess | undefined;

beforeAll(() => {
  dataDir = tempDataDir("restart");
});
afterAll(async () => {
  await emulator?.stop("SIGKILL");
  // A failed assertion must not leave nodes behind: stop whatever still runs for this data dir.
  for (const pid of nodeProcessesOf(dataDir)) process.kill(pid, "SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface FleetView {
  sessionsPorts: number[];
  cartsPort: number;
  memcachedPort: number;
  serverlessPort: number;
}

/** Waits until the whole small fleet is available and returns where its nodes listen. */
async function fleetView(url: string): Promise<FleetView> {
  const us = elasticacheClient(url);
  const eu = elasticacheClient(url, "eu-west-1");
  const sessions = await waitForReplicationGroup(us, "sessions");
  const carts = await waitForReplicationGroup(us, "carts");
  const prices = await waitFor(
    async () => {
      const { CacheClusters } = await eu.send(new DescribeCacheClustersCommand({ CacheClusterId: "prices", ShowCacheNodeInfo: true }));
      return CacheClusters![0].CacheClusterStatus === "available" && CacheClusters![0];
    },
    { timeoutMs: 30_000, description: "prices to be available" },
  );
  const profiles = await waitFor(
    async () => {
      const { ServerlessCaches } = await eu.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: "profiles" }));
      return ServerlessCaches![0].Status === "AVAILABLE" && ServerlessCaches![0];
    },
    { timeoutMs: 30_000, description: "profiles to be AVAILABLE" },
  );
  return {
    sessionsPorts: sessions.NodeGroups![0].NodeGroupMembers!.map((m) => m.ReadEndpoint!.Port!),
    cartsPort: carts.ConfigurationEndpoint!.Port!,
    memcachedPort: prices.CacheNodes![0].Endpoint!.Port!,
    serverlessPort: profiles.Endpoint!.Port!,
  };
}

const allPorts = (v: FleetView) => [...v.sessionsPorts, v.cartsPort, v.memcachedPort, v.serverlessPort];

async function redisAt<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: "127.0.0.1", port });
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

describe("the emulator process", () => {
  let before: FleetView;

  it("loads a fleet file and stops every node on SIGTERM", async () => {
    emulator = await startEmulatorProcess({ dataDir, fleetFile: FLEET });
    before = await fleetView(emulator.url);
    expect(nodeProcessesOf(dataDir)).toHaveLength(NODES_IN_FLEET);
    await redisAt(before.sessionsPorts[0], async (r) => {
      await r.set("session:1", "alice");
      await r.wait(1, 5000);
    });

    expect(await emulator.stop("SIGTERM")).toBe(0);
    emulator = undefined;
    expect(nodeProcessesOf(dataDir)).toEqual([]);
    for (const port of allPorts(before)) expect(await redisPing(port)).toBe(false);
  });

  it("restarts on the same data dir with the same fleet, nodes back on their ports, replication re-formed, contents gone", async () => {
    emulator = await startEmulatorProcess({ dataDir, fleetFile: FLEET });
    expect(emulator.stderr()).toContain("0 resource(s) created");
    const us = elasticacheClient(emulator.url);
    const groups = await us.send(new DescribeReplicationGroupsCommand({}));
    expect(groups.ReplicationGroups!.map((g) => [g.ReplicationGroupId, g.Status])).toEqual([
      ["carts", "available"],
      ["sessions", "available"],
    ]);
    const after = await fleetView(emulator.url);
    expect(after).toEqual(before);

    const [primary, replica] = after.sessionsPorts;
    expect(await redisAt(primary, (r) => r.get("session:1"))).toBeNull();
    await redisAt(primary, async (r) => {
      await r.set("session:2", "bob");
      expect(await r.wait(1, 5000)).toBe(1);
    });
    expect(await redisAt(replica, (r) => r.get("session:2"))).toBe("bob");
    expect((await clusterInfo(after.cartsPort)).cluster_state).toBe("ok");
    expect(await memcachedPing(after.memcachedPort)).toBe(true);
    expect(await redisPing(after.serverlessPort)).toBe(true);

    const events = await us.send(new DescribeEventsCommand({ SourceType: "cache-cluster", SourceIdentifier: "sessions-001" }));
    expect(events.Events!.slice(0, 2).map((e) => e.Message)).toEqual(["Finished recovery for cache nodes 0001", "Recovering cache nodes 0001"]);
  });

  it("refuses a second emulator on a data dir in use, leaving the running one's nodes alone", async () => {
    const running = nodeProcessesOf(dataDir);
    expect(running).toHaveLength(NODES_IN_FLEET);
    const second = await runCli(["--port", "0", "--data-dir", dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by another emulator (pid ${emulator!.child.pid})`);
    expect(running.filter(isProcessAlive)).toEqual(running);
    expect(await redisPing(before.sessionsPorts[0])).toBe(true);
  });

  it("after a SIGKILL, the next start stops the orphaned nodes and brings the fleet back", async () => {
    await emulator!.stop("SIGKILL");
    emulator = undefined;
    const orphans = nodeProcessesOf(dataDir);
    expect(orphans).toHaveLength(NODES_IN_FLEET);
    expect(orphans.every(isProcessAlive)).toBe(true);

    emulator = await startEmulatorProcess({ dataDir });
    expect(orphans.filter(isProcessAlive)).toEqual([]);
    await fleetView(emulator.url);
    const running = nodeProcessesOf(dataDir);
    expect(running).toHaveLength(NODES_IN_FLEET);
    expect(running.filter((pid) => orphans.includes(pid))).toEqual([]);

    expect(await emulator.stop("SIGINT")).toBe(0);
    emulator = undefined;
    expect(nodeProcessesOf(dataDir)).toEqual([]);
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "emulator/main.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}

describe("emulator command line", () => {
  it("explains bad flags, bad fleet files and a taken port", async () => {
    const dir = tempDataDir("cli");
    const badFleet = path.join(dir, "fleet.json");
    fs.writeFileSync(badFleet, JSON.stringify({ regions: { mars: {} } }));
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const results = await Promise.all([
        runCli([]),
        runCli(["--port", "http", "--data-dir", dir]),
        runCli(["--port", "0", "--data-dir", dir, "--verbose"]),
        runCli(["--port", "0", "--data-dir", dir, "--fleet", path.join(dir, "missing.json")]),
        runCli(["--port", "0", "--data-dir", dir, "--fleet", badFleet]),
        runCli(["--port", String(port), "--data-dir", dir]),
      ]);
      expect(results.map((r) => r.code)).toEqual([2, 2, 2, 1, 1, 1]);
      expect(results[0].stderr).toContain("emulator: --port is required");
      expect(results[1].stderr).toContain('--port must be a number from 0 to 65535, got "http"');
      expect(results[2].stderr).toMatch(/Unknown option '--verbose'/);
      expect(results[3].stderr).toMatch(/fleet file .*missing\.json: ENOENT/);
      expect(results[4].stderr).toContain("regions.mars: region names look like us-east-1");
      expect(results[5].stderr).toContain(`emulator: port ${port} is already in use`);
    } finally {
      taken.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
