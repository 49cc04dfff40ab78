import fs from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { memcachedCommand, stats } from "@/emulator/nodes/memcached-admin";
import { EMULATOR_DIR_ENV, isProcessAlive } from "@/emulator/nodes/node-process";
import { info, ping, withRedis } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { MiB, testSupervisor } from "./node-test-kit";

describe("NodeSupervisor", () => {
  it("starts a redis node with the requested settings and stops it", async () => {
    const supervisor = testSupervisor();
    const node = await supervisor.startRedis({ key: "us-east-1/orders-001/0001", maxmemoryBytes: 3 * MiB, clusterEnabled: false });

    expect(node).toMatchObject({ key: "us-east-1/orders-001/0001", engine: "redis" });
    expect(await ping(node.port)).toBe(true);
    expect(supervisor.get(node.key)?.pid).toBe(node.pid);
    expect(supervisor.list().map((n) => n.key)).toEqual([node.key]);
    const config = (await withRedis(node.port, (c) => c.config("GET", "*"))) as string[];
    const settings = Object.fromEntries(
      Array.from({ length: config.length / 2 }, (_, i) => [config[2 * i], config[2 * i + 1]]),
    ) as Record<string, string>;
    expect(settings).toMatchObject({
      maxmemory: String(3 * MiB),
      "maxmemory-policy": "volatile-lru",
      bind: "127.0.0.1",
      save: "",
      appendonly: "no",
      "repl-diskless-sync": "yes",
      "cluster-enabled": "no",
    });
    expect(fs.readFileSync(`${node.dir}/node.pid`, "utf8").trim()).toBe(String(node.pid));
    expect(fs.readFileSync(`/proc/${node.pid}/environ`, "utf8").split("\0")).toContain(
      `${EMULATOR_DIR_ENV}=${supervisor.dataDir}`,
    );

    const exits: unknown[] = [];
    supervisor.on("exit", (...args) => exits.push(args));
    await supervisor.stop(node.key);
    expect(isProcessAlive(node.pid)).toBe(false);
    expect(await ping(node.port)).toBe(false);
    expect(supervisor.get(node.key)).toBeUndefined();
    expect(fs.existsSync(`${node.dir}/node.pid`)).toBe(false);
    expect(exits).toEqual([]);
  });

  it("starts a replacement replica as a replica: its first answer to a write is READONLY, never an empty primary's OK", async () => {
    const supervisor = testSupervisor();
    const primary = await supervisor.startRedis({ key: "primary", maxmemoryBytes: MiB, clusterEnabled: false });
    await withRedis(primary.port, (c) => c.set("acknowledged", "1"));
    const replica = await supervisor.startRedis({ key: "replica", maxmemoryBytes: MiB, clusterEnabled: false, replicaOfPort: primary.port });
    await expect(withRedis(replica.port, (c) => c.set("lost-on-sync", "1"))).rejects.toThrow(/READONLY/);
    await waitFor(async () => (await withRedis(replica.port, (c) => c.get("acknowledged"))) === "1", { timeoutMs: 10_000, description: "the replica to sync" });
    await Promise.all([supervisor.stop(replica.key), supervisor.stop(primary.key)]);
  });

  it("refuses a second node with the same key", async () => {
    const supervisor = testSupervisor();
    await supervisor.startRedis({ key: "dup", maxmemoryBytes: MiB, clusterEnabled: false });
    await expect(supervisor.startRedis({ key: "dup", maxmemoryBytes: MiB, clusterEnabled: false })).rejects.toThrow(
      /already running/,
    );
  });

  it("rejects with the tail of the node's log when the node cannot start", async () => {
    const supervisor = testSupervisor();
    await expect(
      supervisor.startRedis({ key: "bad", maxmemoryBytes: MiB, maxmemoryPolicy: "no-such-policy", clusterEnabled: false }),
    ).rejects.toThrow(/bad on port \d+ exited \(code 1\)[\s\S]*no-such-policy/);
    expect(supervisor.list()).toEqual([]);
  });

  it("reports a missing binary clearly", async () => {
    const supervisor = testSupervisor({ redisServerPath: "/nonexistent/redis-server" });
    await expect(supervisor.startRedis({ key: "x", maxmemoryBytes: MiB, clusterEnabled: false })).rejects.toThrow(
      /could not start \/nonexistent\/redis-server.*npm run setup/,
    );
  });

  it("emits exit for a node killed behind its back and for kill(), not for stop()", async () => {
    const supervisor = testSupervisor();
    const a = await supervisor.startRedis({ key: "a", maxmemoryBytes: MiB, clusterEnabled: false });
    const b = await supervisor.startMemcached({ key: "b", memoryMB: 1 });
    const exits: Array<[string, number | null, string | null]> = [];
    supervisor.on("exit", (key, code, signal) => exits.push([key, code, signal]));

    process.kill(a.pid, "SIGKILL");
    await waitFor(() => exits.length === 1, { timeoutMs: 5_000, description: "exit event" });
    expect(exits[0]).toEqual(["a", null, "SIGKILL"]);
    expect(supervisor.get("a")).toBeUndefined();

    await supervisor.kill("b");
    expect(exits[1]).toEqual(["b", null, "SIGKILL"]);
    expect(isProcessAlive(b.pid)).toBe(false);
  });

  it("reuses a requested port when it is free and picks another when it is taken", async () => {
    const supervisor = testSupervisor();
    const first = await supervisor.startRedis({ key: "stable", maxmemoryBytes: MiB, clusterEnabled: false });
    await supervisor.stop("stable");
    const again = await supervisor.startRedis({ key: "stable", port: first.port, maxmemoryBytes: MiB, clusterEnabled: false });
    expect(again.port).toBe(first.port);
    expect(again.pid).not.toBe(first.pid);

    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const moved = await supervisor.startMemcached({ key: "moved", port: taken, memoryMB: 1 });
      expect(moved.port).not.toBe(taken);
      expect((await stats(moved.port, "settings")).tcpport).toBe(String(moved.port));
    } finally {
      blocker.close();
    }
  });

  it("runs memcached with the requested memory and answers get/set", async () => {
    const supervisor = testSupervisor();
    const node = await supervisor.startMemcached({ key: "eu-west-1/sessions/0001", memoryMB: 4 });
    const set = await memcachedCommand(node.port, "set greeting 0 0 5\r\nhello\r\n", (r) => r.endsWith("\r\n"));
    expect(set).toBe("STORED\r\n");
    const get = await memcachedCommand(node.port, "get greeting\r\n", (r) => r.endsWith("END\r\n"));
    expect(get).toBe("VALUE greeting 0 5\r\nhello\r\nEND\r\n");
    const s = await stats(node.port);
    expect(s.limit_maxbytes).toBe(String(4 * MiB));
    expect(s.curr_items).toBe("1");
    expect((await stats(node.port, "settings")).inter).toBe("127.0.0.1");
  });

  it("starts nodes in parallel on distinct ports", async () => {
    const supervisor = testSupervisor();
    const nodes = await Promise.all(
      Array.from({ length: 4 }, (_, i) => supervisor.startRedis({ key: `p${i}`, maxmemoryBytes: MiB, clusterEnabled: false })),
    );
    expect(new Set(nodes.map((n) => n.port)).size).toBe(4);
    for (const node of nodes) expect((await info(node.port, "server")).tcp_port).toBe(String(node.port));
  });
});
