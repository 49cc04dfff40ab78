import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateCacheClusterCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { startEmulator } from "../../emulator/emulator";
import { waitFor } from "../../emulator/nodes/wait-for";
import { startCountingProxy, type CountingProxy } from "../../tests/helpers/counting-proxy";
import { demoSession } from "../../tests/helpers/demo-session";
import { startApp, type RunningApp } from "../../tests/helpers/next-app";
import { startPostgres } from "../../tests/helpers/postgres";
import { smallGroup } from "../../tests/helpers/small-fleet";
import { machineDescription, summarize } from "./machine";

// Several app instances on one Postgres (docs/architecture.md, "Several app instances"): how long after the leader of
// a region's watcher is killed (SIGKILL) the next instance makes its first AWS call as the new leader, and how long a
// change made outside CacheDeck takes to reach a follower's push stream. Instances rotate: each round starts a new
// follower, then kills the current leader. Needs a `next build`.

const ROUNDS = 5;

interface Instance {
  app: RunningApp;
  proxy: CountingProxy;
  cookie: string;
}

async function leads(instance: Instance): Promise<boolean> {
  const page = await (await fetch(new URL("/costs", instance.app.url), { headers: { cookie: instance.cookie } })).text();
  return page.includes("led by this instance");
}

/** Opens the fleet's push stream and resolves with the time the first message naming `id` arrives. */
async function streamSees(instance: Instance, id: string, until: AbortSignal): Promise<number> {
  const response = await fetch(new URL("/api/live?view=fleet", instance.app.url), { headers: { cookie: instance.cookie }, signal: until });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stream ended before the change arrived");
    text += decoder.decode(value, { stream: true });
    if (text.includes(`"id":"${id}"`)) return Date.now();
  }
}

export default async function run(): Promise<string> {
  const machine = machineDescription();
  const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-bench-takeover-"));
  const fleetFile = path.join(dir, "fleet.json");
  writeFileSync(fleetFile, JSON.stringify({ regions: { "us-east-1": { replicationGroups: [smallGroup("takeover-orders")] } } }));
  const [emulator, postgres] = await Promise.all([startEmulator({ port: 0, dataDir: dir, fleetFile }), startPostgres()]);
  const client = new ElastiCacheClient({ region: "us-east-1", endpoint: emulator.url, credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" } });
  const instances: Instance[] = [];
  const start = async (): Promise<Instance> => {
    const proxy = await startCountingProxy(emulator.url);
    const app = await startApp({ awsEndpoint: proxy.url, env: { DATABASE_URL: postgres.url } });
    const { header } = await demoSession(app.url, "admin");
    await fetch(new URL("/", app.url), { headers: { cookie: header } });
    const instance = { app, proxy, cookie: header };
    instances.push(instance);
    return instance;
  };
  const takeovers: number[] = [];
  const relayed: number[] = [];
  try {
    let leader = await start();
    await waitFor(async () => (await leads(leader)) || undefined, { timeoutMs: 30_000, intervalMs: 200, description: "the first leader" });
    for (let round = 0; round < ROUNDS; round++) {
      const follower = await start();
      // A change outside CacheDeck, seen on the follower's push stream.
      const stop = new AbortController();
      const id = `takeover-relay-${round}`;
      const seen = streamSees(follower, id, stop.signal);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const sent = Date.now();
      await client.send(new CreateCacheClusterCommand({ CacheClusterId: id, Engine: "memcached", CacheNodeType: "cache.t4g.micro", NumCacheNodes: 1 }));
      relayed.push((await seen) - sent);
      stop.abort();

      follower.proxy.reset();
      const killedAt = Date.now();
      await leader.app.stop("SIGKILL");
      instances.splice(instances.indexOf(leader), 1);
      await waitFor(async () => follower.proxy.operations.includes("DescribeEvents") || undefined, { timeoutMs: 30_000, intervalMs: 20, description: "the takeover" });
      takeovers.push(Date.now() - killedAt);
      leader = follower;
    }
  } finally {
    await Promise.all(instances.map(async ({ app, proxy }) => (await app.stop(), await proxy.close())));
    await postgres.stop();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const row = (label: string, values: number[]) => {
    const { median, p95 } = summarize(values);
    return `| ${label} | ${median} | ${p95} | ${Math.max(...values).toFixed(0)} |`;
  };
  return [
    "## Several app instances (lib/watcher/lease.ts, relay.ts)",
    "",
    `Machine: ${machine}.`,
    "",
    `\`next start\` instances of one build on one Postgres and one emulator, ${ROUNDS} rounds: a new instance joins as a ` +
      "follower, a Memcached cluster is created outside CacheDeck (the follower's fleet push stream must name it: the " +
      "leader hears the event, describes, records, NOTIFY, the follower reads and pushes), then the leader is killed " +
      "with SIGKILL and the time to the follower's first AWS call as the new leader is taken (the lease is tried every 2 s). " +
      "Default settings (events every 5 s while calm).",
    "",
    "| ms | median | p95 | max |",
    "|---|---:|---:|---:|",
    row("leader killed → the new leader's first AWS call", takeovers),
    row("cache created outside CacheDeck → on a follower's push stream", relayed),
  ].join("\n");
}
