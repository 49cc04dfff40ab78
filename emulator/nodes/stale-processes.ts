import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { EMULATOR_DIR_ENV, PID_FILE, isProcessAlive } from "./node-process";
import { waitFor } from "./wait-for";

function readEnviron(pid: number): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  } catch {
    return undefined;
  }
}

/** Pids whose environment carries our marker with exactly this data dir (Linux: /proc). */
function markedPidsFromProc(dataDir: string): number[] {
  const marker = `${EMULATOR_DIR_ENV}=${dataDir}`;
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && readEnviron(pid)?.includes(marker));
}

function commandOf(pid: number): string {
  try {
    return execFileSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where /proc is missing (macOS), the pidfiles under <dataDir>/nodes are the record. A pid may have been reused
 * by an unrelated program since, so only a redis-server or memcached process counts.
 */
export function pidsFromPidFiles(dataDir: string): number[] {
  const nodesDir = path.join(dataDir, "nodes");
  if (!fs.existsSync(nodesDir)) return [];
  const pids: number[] = [];
  for (const entry of fs.readdirSync(nodesDir)) {
    const pid = readPidFile(path.join(nodesDir, entry, PID_FILE));
    if (pid && isProcessAlive(pid) && /redis-server|memcached/.test(commandOf(pid))) pids.push(pid);
  }
  return pids;
}

export function findStalePids(dataDir: string, exclude: ReadonlySet<number>): number[] {
  const pids = fs.existsSync("/proc/self/environ") ? markedPidsFromProc(dataDir) : pidsFromPidFiles(dataDir);
  return pids.filter((pid) => !exclude.has(pid));
}

/** SIGTERM, then SIGKILL for whatever is still alive after `graceMs`; resolves once all are gone. */
export async function terminatePids(pids: number[], graceMs: number): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  pids.forEach((pid) => signal(pid, "SIGTERM"));
  const allGone = () => pids.every((pid) => !isProcessAlive(pid));
  try {
    await waitFor(allGone, { timeoutMs: graceMs, description: "stale nodes to stop" });
  } catch {
    pids.filter(isProcessAlive).forEach((pid) => signal(pid, "SIGKILL"));
    await waitFor(allGone, { timeoutMs: 5_000, description: "stale nodes to die after SIGKILL" });
  }
}
