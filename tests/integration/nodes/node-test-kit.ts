import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { NodeSupervisor, type SupervisorOptions } from "@/emulator/nodes/supervisor";

export const MiB = 1024 * 1024;

export function makeSupervisor(options: Partial<SupervisorOptions> = {}): NodeSupervisor {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-nodes-"));
  return new NodeSupervisor({ dataDir, ...options });
}

export async function disposeSupervisor(supervisor: NodeSupervisor): Promise<void> {
  await supervisor.stopAll();
  fs.rmSync(supervisor.dataDir, { recursive: true, force: true });
}

/** A supervisor on a fresh temp data dir whose nodes are stopped and dir deleted when the current test ends. */
export function testSupervisor(options: Partial<SupervisorOptions> = {}): NodeSupervisor {
  const supervisor = makeSupervisor(options);
  onTestFinished(() => disposeSupervisor(supervisor));
  return supervisor;
}
