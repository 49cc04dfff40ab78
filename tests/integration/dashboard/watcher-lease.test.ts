import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TestFailoverCommand } from "@aws-sdk/client-elasticache";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type OpenDatabase } from "@/lib/db/database";
import { watcherConfig } from "@/lib/env";
import { RegionWatcher, type SnapshotHead, type WatcherChange } from "@/lib/watcher/region-watcher";
import { WatcherRelay } from "@/lib/watcher/relay";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { smallFleetFile } from "../../helpers/small-fleet";

// Two app instances' watchers of one region on one Postgres, in this process: each has its own lease connection and
// relay, as two `next start` processes would (tests/e2e/several-instances.test.ts runs those). One leads and calls
// AWS, the other applies its records; when the leader's session ends, the follower takes over and carries on.

const GROUP = "lease-group";
const NAME = "default/us-east-1";
let dir: string;
let emulator: TestEmulator;
let postgres: TestPostgres;
let database: OpenDatabase;

interface Instance {
  watcher: RegionWatcher;
  relay: WatcherRelay;
  heard: { at: number; change: WatcherChange }[];
  /** Stops listening: with nobody listening or looking, a leader idles after IDLE_AFTER_MS. */
  unlisten: () => void;
}
const IDLE_AFTER_MS = 4_000;
const instances: Instance[] = [];
const quiet = () => undefined;

function startInstance(): Instance {
  const watcher = new RegionWatcher({ account: "default", region: "us-east-1" }, { ...watcherConfig(), idleAfterMs: IDLE_AFTER_MS }, Date.now(), { follow: true });
  const relay = new WatcherRelay(postgres.url, async () => database.db, quiet, { checkEveryMs: 500, deadlineMs: 5_000, catchUpEveryMs: 2_000 });
  const heard: Instance["heard"] = [];
  const unlisten = watcher.subscribe((change) => heard.push({ at: Date.now(), change }));
  relay.attach(NAME, watcher);
  const instance = { watcher, relay, heard, unlisten };
  instances.push(instance);
  return instance;
}

async function stopInstance(instance: Instance): Promise<void> {
  instance.watcher.stop();
  await instance.relay.close();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-lease-"));
  [emulator, postgres] = await Promise.all([startTestEmulator({ fleetFile: smallFleetFile(dir, GROUP) }), startPostgres()]);
  pointAwsSdkAt(emulator.url);
  database = await openDatabase({ dialect: "postgres", url: postgres.url });
  await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
});

afterAll(async () => {
  await Promise.all(instances.map(stopInstance));
  await database?.db.destroy();
  await postgres?.stop();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const primaryOf = (watcher: RegionWatcher) => [...watcher.roles(GROUP)].find(([, role]) => role === "primary")?.[0];

describe("one watcher per region across app instances", () => {
  let first: Instance;
  let second: Instance;

  it("lets exactly one instance lead; the other starts from its snapshot (never having described anything itself)", async () => {
    first = startInstance();
    await waitFor(async () => first.watcher.isLeading || undefined, { timeoutMs: 10_000, intervalMs: 50, description: "the first instance to lead" });
    expect(await first.watcher.ready(30_000)).toBe(true);
    second = startInstance();
    expect(await second.watcher.ready(15_000)).toBe(true);
    expect(second.watcher.isLeading).toBe(false);
    expect(second.watcher.status(0).lease).toBe("follower");
    expect(first.watcher.status(0).lease).toBe("leader");
    // A follower never ran a describe of its own: what it knows came from the leader's snapshot.
    expect(second.watcher.find(GROUP)).toEqual(first.watcher.find(GROUP));
    expect(second.watcher.status(0).last.describe).toBe(first.watcher.status(0).last.describe);
    expect(primaryOf(second.watcher)).toBe(primaryOf(first.watcher));
  });

  it("makes the capacity and cost reads on the leader only: the follower shows the leader's answers, read once", async () => {
    // A page rendering the fleet rows on each instance: what starts these reads where they are due.
    const rows = (instance: Instance) => instance.watcher.summaries(null).find((r) => r.id === GROUP);
    rows(first);
    rows(second);
    const read = (instance: Instance) => ({ capacity: instance.watcher.status(0).capacityRead.last, cost: instance.watcher.costInputs() });
    const led = await waitFor(async () => {
      const r = read(first);
      return (first.watcher.capacity() && r.capacity !== null && r.cost.inputsReadAt !== null && r.cost.pricesReadAt !== null && r) || undefined;
    }, { timeoutMs: 15_000, intervalMs: 50, description: "the leader's capacity, reservations and prices reads" });
    // The follower's times are the leader's: it applied the leader's records and read nothing itself.
    await waitFor(async () => (second.watcher.capacity() !== null && JSON.stringify(read(second)) === JSON.stringify(led)) || undefined, {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: "the follower to apply the leader's reads",
    });
    expect(second.watcher.capacity()).toEqual(first.watcher.capacity());
    expect(rows(second)?.cost).toEqual(rows(first)?.cost);
    expect(rows(second)?.cost?.price?.origin).toBe("price-list-api");
  });

  it("writes the snapshot as parts then a head; a joining follower never takes parts no head names for a snapshot", async () => {
    const rows = await database.db.selectFrom("watcher_records").select(["id", "kind", "at", "payload"]).where("watcher", "=", NAME).orderBy("id").execute();
    const head = rows.findLast((r) => r.kind === "snapshot")!;
    const parts = rows.filter((r) => r.kind === "snapshot-part" && Number(r.id) < Number(head.id) && r.at === head.at);
    expect(parts.length).toBeGreaterThan(0);
    const written = JSON.parse(head.payload) as SnapshotHead;
    expect(written.parts).toBe(parts.length);
    // The topology travels in parts of its own, the head naming each part's kind; a follower fills the head's lists.
    expect(written.partKinds).toHaveLength(parts.length);
    expect(written.partKinds).toEqual(expect.arrayContaining(["points", "groups", "clusters"]));
    expect(written.state.groups).toEqual([]);
    // A leader killed halfway through its next snapshot: a part (cut short) and no head. Neither the joining follower
    // nor the one already following may read it.
    await database.db.insertInto("watcher_records").values({ watcher: NAME, kind: "snapshot-part", at: Date.now(), payload: '[["cut short' }).execute();
    const third = startInstance();
    try {
      expect(await third.watcher.ready(15_000)).toBe(true);
      expect(third.watcher.find(GROUP)).toEqual(first.watcher.find(GROUP));
      // The points came through the parts: every cache's health is judged as on the leader.
      expect(third.watcher.summaries(null).map((c) => c.health)).toEqual(first.watcher.summaries(null).map((c) => c.health));
      expect(second.watcher.summaries(null).map((c) => c.health)).toEqual(first.watcher.summaries(null).map((c) => c.health));
    } finally {
      instances.splice(instances.indexOf(third), 1);
      await stopInstance(third);
    }
  });

  it("passes a follower's viewer on to the leader: looking at a cache makes the leader poll events busy", async () => {
    const config = watcherConfig();
    second.watcher.look(GROUP);
    await waitFor(async () => first.watcher.status(Date.now()).eventPollEveryMs === config.busyEventPollMs || undefined, {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: "the leader to poll busy for the follower's viewer",
    });
  });

  it("applies the leader's news on the follower: a failover's new primary reaches the follower's listeners", async () => {
    const before = primaryOf(first.watcher);
    const sent = Date.now();
    await elasticacheClient(emulator.url).send(new TestFailoverCommand({ ReplicationGroupId: GROUP, NodeGroupId: "0001" }));
    const moved = await waitFor(
      async () => second.heard.find((h) => h.at >= sent && h.change.type === "roles" && Object.entries(h.change.roles).some(([id, role]) => role === "primary" && id !== before)),
      { timeoutMs: 60_000, intervalMs: 50, description: "the follower to hear the new primary" },
    );
    const led = first.heard.find((h) => h.at >= sent && h.change.type === "roles");
    expect(led).toBeDefined();
    // Relayed through one insert, one NOTIFY and one read.
    expect(moved.at - led!.at).toBeLessThan(2_000);
    await waitFor(async () => (primaryOf(second.watcher) === primaryOf(first.watcher) && primaryOf(second.watcher) !== before) || undefined, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: "the follower's roles to match the leader's",
    });
  });

  it("steps a leader down at once when its lease connection is cut; exactly one instance leads again within 15 s", async () => {
    const admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>("select pid from pg_locks where locktype = 'advisory' and granted");
      expect(rows).toHaveLength(1);
      const cutAt = Date.now();
      await admin.query("select pg_terminate_backend($1)", [rows[0].pid]);
      // Its lock went with the session: leading on could mean two instances calling AWS.
      await waitFor(async () => !first.watcher.isLeading || undefined, { timeoutMs: 5_000, intervalMs: 10, description: "the cut leader to step down" });
      const leader = await waitFor(async () => instances.find((i) => i.watcher.isLeading), { timeoutMs: 15_000, intervalMs: 20, description: "a leader again" });
      expect(Date.now() - cutAt).toBeLessThanOrEqual(15_000);
      expect(instances.filter((i) => i.watcher.isLeading)).toEqual([leader]);
    } finally {
      await admin.end();
    }
  });

  it("hands the lease over when the leader's process ends: the follower takes over within 15 s and carries on", async () => {
    const leader = instances.find((i) => i.watcher.isLeading)!;
    const follower = instances.find((i) => i !== leader)!;
    await waitFor(async () => follower.watcher.status(0).lease === "follower" || undefined, { timeoutMs: 5_000, intervalMs: 20, description: "a follower" });
    const reads = { capacity: follower.watcher.status(0).capacityRead.last, cost: follower.watcher.costInputs() };
    const endedAt = Date.now();
    leader.watcher.stop();
    instances.splice(instances.indexOf(leader), 1);
    await leader.relay.close();
    await waitFor(async () => follower.watcher.isLeading || undefined, { timeoutMs: 15_000, intervalMs: 20, description: "the follower to take over" });
    expect(Date.now() - endedAt).toBeLessThanOrEqual(15_000);
    // It carries on from the state it followed: nothing to warm up, the cache still known.
    expect(follower.watcher.status(0).state).not.toBe("warming");
    // And from the reads it followed: capacity, reservations and prices are read again when due, not on taking over.
    follower.watcher.summaries(null);
    expect(follower.watcher.capacity()).not.toBeNull();
    expect({ capacity: follower.watcher.status(0).capacityRead.last, cost: follower.watcher.costInputs() }).toEqual(reads);
    expect(follower.watcher.find(GROUP)?.id).toBe(GROUP);
    second = follower;
  });

  it("keeps the new leader live: a failover after the takeover reaches its listeners from its own calls", async () => {
    const before = primaryOf(second.watcher);
    const sent = Date.now();
    // ElastiCache takes the next failover once the first one's recovery is over.
    await waitFor(
      () =>
        elasticacheClient(emulator.url)
          .send(new TestFailoverCommand({ ReplicationGroupId: GROUP, NodeGroupId: "0001" }))
          .then(
            () => true,
            (error: Error) => (error.name === "TestFailoverNotAvailableFault" ? undefined : Promise.reject(error)),
          ),
      { timeoutMs: 60_000, intervalMs: 500, description: "ElastiCache to accept the next failover" },
    );
    await waitFor(
      async () => second.heard.find((h) => h.at >= sent && h.change.type === "roles" && Object.entries(h.change.roles).some(([id, role]) => role === "primary" && id !== before)),
      { timeoutMs: 60_000, intervalMs: 50, description: "the new leader to hear the next failover" },
    );
  });

  it("shows a follower the leader's real state: idle once nobody looks, running again when a follower's page looks", async () => {
    const leader = instances.find((i) => i.watcher.isLeading)!;
    const follower = startInstance();
    expect(await follower.watcher.ready(15_000)).toBe(true);
    expect(follower.watcher.status(Date.now()).state).toBe("running");
    instances.forEach((i) => i.unlisten());
    await waitFor(async () => leader.watcher.status(Date.now()).state === "idle" || undefined, { timeoutMs: IDLE_AFTER_MS + 15_000, intervalMs: 100, description: "the leader to idle" });
    await waitFor(async () => follower.watcher.status(Date.now()).state === "idle" || undefined, { timeoutMs: 5_000, intervalMs: 50, description: "the follower to show the leader idle" });
    follower.watcher.touch();
    await waitFor(async () => follower.watcher.status(Date.now()).state === "running" || undefined, { timeoutMs: 15_000, intervalMs: 50, description: "the follower to show the leader running again" });
    expect(leader.watcher.status(Date.now()).state).toBe("running");
  });
});
