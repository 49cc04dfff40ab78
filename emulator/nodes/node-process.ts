import fs from "node:fs";

// Marks every process the emulator spawns: its value is the absolute data dir, so a later emulator on the same data
// dir can find (and only find) the processes a crashed predecessor left behind.
export const EMULATOR_DIR_ENV = "CACHEDECK_EMULATOR_DIR";
export const NODE_KEY_ENV = "CACHEDECK_NODE_KEY";
export const PID_FILE = "node.pid";
export const LOG_FILE = "node.log";

/** False for a pid that no longer exists or that exited and only waits to be reaped (a zombie). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}
