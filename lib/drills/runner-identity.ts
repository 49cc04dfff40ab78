import { randomUUID } from "node:crypto";
import os from "node:os";

// Which process runs a drill: host, pid and a per-start id. On the same host, a dead pid (or our own pid with another
// start id, as in a container that restarts with the same pid) means the drill's runner is gone for sure; on another
// host only the heartbeat can tell.

// Next.js may load this module more than once in one server process (one copy per bundle layer); the start id lives
// on the process so every copy agrees on it.
const shared = globalThis as typeof globalThis & { cachedeckRunnerBootId?: string };
shared.cachedeckRunnerBootId ??= randomUUID().slice(0, 8);
const bootId = shared.cachedeckRunnerBootId;

export const thisRunner = `${os.hostname()}|${process.pid}|${bootId}`;

export function runnerIsGone(runner: string): boolean {
  const [host, pidText, boot] = runner.split("|");
  if (host !== os.hostname() || !/^\d+$/.test(pidText ?? "")) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return boot !== bootId;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
