import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isProcessAlive } from "@/emulator/nodes/node-process";
import { ping } from "@/emulator/nodes/redis-admin";
import { pidsFromPidFiles } from "@/emulator/nodes/stale-processes";
import { NodeSupervisor } from "@/emulator/nodes/supervisor";
import { waitFor } from "@/emulator/nodes/wait-for";
import { MiB, testSupervisor } from "./node-test-kit";

const fixture = path.join(__dirname, "fixtures/start-nodes-then-hang.ts");

/** Runs the fixture "emulator" on dataDir, waits until its nodes answer, SIGKILLs it, and returns the node pids. */
async function crashEmulatorWithNodes(dataDir: string): Promise<number[]> {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, dataDir], {
    cwd: path.resolve(__dirname, "../../.."),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let errors = "";
  let exitCode: number | null | undefined;
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (errors += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve((exitCode = code))));
  await waitFor(() => output.includes("\n") || exitCode !== undefined, {
    timeoutMs: 30_000,
    description: "the fixture emulator to start its nodes",
  });
  if (!output.includes("\n")) throw new Error(`the fixture emulator failed: ${errors}`);
  child.kill("SIGKILL");
  await exited;
  return JSON.parse(output.trim()) as number[];
}

describe("reapStale", () => {
  it("stops the nodes a SIGKILLed emulator left on its data dir and nothing else", async () => {
    const bystander = testSupervisor();
    const other = await bystander.startRedis({ key: "crashy/0001", maxmemoryBytes: MiB, clusterEnabled: false });
    const heir = testSupervisor();

    const orphans = await crashEmulatorWithNodes(heir.dataDir);
    expect(orphans).toHaveLength(3);
    expect(orphans.every(isProcessAlive)).toBe(true);

    // Where /proc is missing the pidfiles are the record; on Linux both must find the same processes.
    expect(pidsFromPidFiles(heir.dataDir).sort()).toEqual([...orphans].sort());
    expect(pidsFromPidFiles(bystander.dataDir)).toEqual([other.pid]);

    expect(await heir.reapStale()).toBe(3);
    expect(orphans.some(isProcessAlive)).toBe(false);
    expect(await heir.reapStale()).toBe(0);

    expect(isProcessAlive(other.pid)).toBe(true);
    expect(await ping(other.port)).toBe(true);
    expect(await new NodeSupervisor({ dataDir: `${bystander.dataDir}-elsewhere` }).reapStale()).toBe(0);
    expect(isProcessAlive(other.pid)).toBe(true);
  });

  it("leaves the supervisor's own running nodes alone", async () => {
    const supervisor = testSupervisor();
    const node = await supervisor.startRedis({ key: "mine", maxmemoryBytes: MiB, clusterEnabled: false });
    expect(await supervisor.reapStale()).toBe(0);
    expect(isProcessAlive(node.pid)).toBe(true);
  });
});
