import fs from "node:fs";
import path from "node:path";
import { isProcessAlive } from "./nodes/node-process";

// One emulator per data dir. A second one would take the first one's node processes for leftovers of a killed
// emulator and stop them, and both would rewrite the same state file.

const LOCK_FILE = "emulator.pid";

interface LockOwner {
  pid: number;
  /** The process's start time (/proc/<pid>/stat), so a pid reused by another program after a SIGKILL is not taken for us. */
  startedAt?: string;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, "utf8")) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(owner: LockOwner): boolean {
  return isProcessAlive(owner.pid) && (owner.startedAt === undefined || owner.startedAt === startTimeOf(owner.pid));
}

/**
 * Claims `dataDir` for this process, or throws naming the emulator that holds it. A lock left by an emulator that
 * is gone (SIGKILL) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, startedAt: startTimeOf(process.pid) } satisfies LockOwner);
  // Created exclusively, so of two emulators starting at once only one gets the dir.
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
    }
    const owner = readOwner(file);
    if (owner && isRunning(owner)) {
      throw new Error(
        `data dir ${dataDir} is in use by another emulator (pid ${owner.pid}); stop it or pick another --data-dir ` +
          `(if no emulator runs there, delete ${file})`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  return () => {
    if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}
