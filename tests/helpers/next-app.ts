import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

// The built CacheDeck app (`next build`, done once by tests/e2e/global-setup.ts) served by `next start` on a free
// port, in demo mode, with its own data dir and whatever AWS endpoint the test points it at.

const REPO_ROOT = path.resolve(__dirname, "../..");
const NEXT_BIN = path.join(REPO_ROOT, "node_modules/next/dist/bin/next");

export interface RunningApp {
  url: string;
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server (SIGKILL: as a crash would) and removes the data dir unless the caller owns it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface AppOptions {
  /** AWS_ENDPOINT_URL for the app's SDK clients (the emulator, or a proxy in front of it). */
  awsEndpoint: string;
  regions?: string[];
  /** A data dir the caller owns (kept on stop), e.g. to restart the app on the same audit database. */
  dataDir?: string;
  /** Serve plain http but tell the app its public URL is https (as behind a TLS-terminating proxy). */
  httpsPublicUrl?: boolean;
  env?: Record<string, string>;
  /** A checkout with its own `.next` build to serve instead of this one (benchmarks compare an earlier commit's app). */
  appDir?: string;
}

async function waitForServer(url: string, exited: Promise<unknown>, output: () => string, deadlineMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`next start exited before serving:\n${output()}`);
    try {
      if ((await fetch(new URL("/api/auth/csrf", url))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`next start did not serve within ${deadlineMs} ms:\n${output()}`);
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const appDir = options.appDir ?? REPO_ROOT;
  if (!existsSync(path.join(appDir, ".next/BUILD_ID"))) throw new Error(`no build in ${appDir}/.next: the e2e global setup runs \`next build\``);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "cachedeck-app-"));
  const child = spawn(process.execPath, [options.appDir ? path.join(appDir, "node_modules/next/dist/bin/next") : NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: appDir,
    // Its own process group, so stopping it reaches any worker Next starts too.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.tmpdir(),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      CACHEDECK_DEMO: "1",
      NEXTAUTH_URL: options.httpsPublicUrl ? url.replace(/^http:/, "https:") : url,
      CACHEDECK_DATA_DIR: dataDir,
      CACHEDECK_REGIONS: (options.regions ?? ["us-east-1"]).join(","),
      AWS_ENDPOINT_URL: options.awsEndpoint,
      AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
      AWS_SECRET_ACCESS_KEY: "emulator-secret",
      AWS_EC2_METADATA_DISABLED: "true",
      ...options.env,
    },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
    await exited;
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForServer(url, exited, () => output, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, dataDir, output: () => output, stop };
}

interface ServerReferenceManifest {
  node: Record<string, { filename?: string; exportedName?: string }>;
}

function serverReferences(): ServerReferenceManifest["node"] {
  const file = path.join(REPO_ROOT, ".next/server/server-reference-manifest.json");
  return (JSON.parse(readFileSync(file, "utf8")) as ServerReferenceManifest).node;
}

/** Every server action the build contains, as "file#export". */
export function serverActionsInBuild(): string[] {
  return Object.values(serverReferences()).map((entry) => `${entry.filename}#${entry.exportedName}`);
}

/** The id Next gave a server action (for posting to it directly, as any HTTP client can), from the build's manifest. */
export function serverActionId(file: string, exportName: string): string {
  const found = Object.entries(serverReferences()).find(([, entry]) => entry.filename === file && entry.exportedName === exportName);
  if (!found) throw new Error(`server action ${exportName} of ${file} is not in the build (is it used by a page?)`);
  return found[0];
}
