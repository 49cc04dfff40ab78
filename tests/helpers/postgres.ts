import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { freePort } from "./free-port";

// A throw-away Postgres cluster in a temp dir, on a free port on 127.0.0.1, for tests of the Postgres code paths.
// Debian's postgresql package keeps its programs out of PATH, under /usr/lib/postgresql/<version>/bin.

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], "bin") : null;
}

// Postgres refuses to run as root; as root (CI, this machine) it runs as the package's `postgres` user.
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function waitUntilAccepting(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("Postgres is not installed: run `node scripts/setup.mjs` (installs Debian's postgresql package)");
  const user = runAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-pg-"));
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, "data");
  const init = spawnSync(path.join(bin, "initdb"), ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"], {
    encoding: "utf8",
    cwd: dir,
    ...user,
  });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr}`);
  const port = await freePort();
  const server = spawn(
    path.join(bin, "postgres"),
    ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${dir}`, "-c", "fsync=off"],
    { stdio: "ignore", cwd: dir, ...user },
  );
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    // SIGTERM is Postgres's smart shutdown: it lets closing clients finish instead of sending them a FATAL error.
    // Waiting for the exit keeps the data dir removable.
    if (server.exitCode === null) server.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAccepting(url, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
