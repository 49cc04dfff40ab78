// `npm run demo`: the emulator with the demo fleet (and its traffic) plus the dashboard in demo mode, on this machine,
// with no AWS account. Prints the URL and the demo sign-ins; Ctrl-C stops everything it started.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { demoUsers } from "../lib/auth/demo-users";

const ROOT = path.resolve(__dirname, "..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const TSX_BIN = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
/** The demo fleet's two accounts and the roles CacheDeck assumes in them (emulator/fleets/demo.json declares the roles). */
const DEMO_ACCOUNTS_FILE = path.join(ROOT, "scripts/demo-accounts.json");
/** What a build depends on: when any of these is newer than the last build, the demo builds again. */
const BUILD_INPUTS = ["app", "components", "lib", "public", "proxy.ts", "next.config.js", "postcss.config.mjs", "package-lock.json"];

const USAGE = `usage: npm run demo -- [--port 3000] [--emulator-port 4566] [--data-dir data/demo] [--no-traffic]`;

function options() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3000" },
      "emulator-port": { type: "string", default: "4566" },
      "data-dir": { type: "string", default: "data/demo" },
      "no-traffic": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  for (const flag of ["port", "emulator-port"] as const) {
    if (!/^\d+$/.test(values[flag]) || Number(values[flag]) > 65535) fail(`--${flag} must be a port number, got "${values[flag]}"\n${USAGE}`);
  }
  return { port: Number(values.port), emulatorPort: Number(values["emulator-port"]), dataDir: path.resolve(ROOT, values["data-dir"]), traffic: !values["no-traffic"] };
}

function fail(message: string): never {
  console.error(`[demo] ${message}`);
  process.exit(1);
}

/** The preferred port when it is free, otherwise any free one (so a second demo or a busy 3000 still starts). */
function portToUse(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(undefined));
      server.listen(port, "127.0.0.1", () => {
        const chosen = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(chosen));
      });
    });
  return tryListen(preferred).then((port) => port ?? tryListen(0).then((p) => p ?? fail("no free port on 127.0.0.1")));
}

function newestMtime(entry: string): number {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(full).reduce((newest, child) => Math.max(newest, newestMtime(path.join(entry, child))), stat.mtimeMs);
}

function buildIfStale() {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (builtAt > Math.max(...BUILD_INPUTS.map(newestMtime))) return;
  console.log("[demo] building the dashboard (next build, about a minute the first time)…");
  const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  // Thrown, not fail(): the emulator is already running and main's catch stops it with its cache nodes.
  if (build.status !== 0) throw new Error(`next build failed (exit ${build.status}); run \`npx next build\` to see why`);
}

/** A stable session secret per demo data dir, so a restarted demo keeps people signed in. */
function sessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * The demo fleet's AUTH tokens (emulator/fleets/demo.json's AuthToken settings, demo values, not secrets) in the file
 * the drill probe reads them from (docs/drills.md, "TLS and AUTH groups").
 */
function demoAuthTokensFile(dataDir: string): string {
  const file = path.join(dataDir, "cache-auth-tokens.json");
  const fleet = JSON.parse(fs.readFileSync(path.join(ROOT, "emulator/fleets/demo.json"), "utf8")) as {
    accounts: { name: string; regions: Record<string, { replicationGroups?: { ReplicationGroupId: string; AuthToken?: string }[] }> }[];
  };
  const tokens = Object.fromEntries(
    fleet.accounts.flatMap((account) =>
      Object.entries(account.regions).flatMap(([region, place]) =>
        (place.replicationGroups ?? []).filter((g) => g.AuthToken).map((g) => [`${account.name}/${region}/${g.ReplicationGroupId.toLowerCase()}`, g.AuthToken]),
      ),
    ),
  );
  fs.writeFileSync(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  return file;
}

const children: ChildProcess[] = [];

function start(name: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; ready: (pattern: RegExp) => Promise<RegExpExecArray> } {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let seen = "";
  const logFile = fs.createWriteStream(path.join(env.CACHEDECK_DATA_DIR ?? ROOT, `${name}.log`), { flags: "a" });
  child.stdout!.pipe(logFile);
  child.stderr!.pipe(logFile);
  child.stdout!.on("data", (chunk) => (seen += chunk));
  child.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[demo] ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); see ${path.relative(ROOT, String(logFile.path))}`);
    void stopAll(1);
  });
  const ready = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve) => {
      const check = () => {
        const match = pattern.exec(seen);
        if (match) {
          child.stdout!.off("data", check);
          resolve(match);
        }
      };
      child.stdout!.on("data", check);
      check();
    });
  return { child, ready };
}

let stopping = false;
async function stopAll(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\n[demo] stopping the dashboard and the emulator (and every cache node it started)…");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
  process.exit(exitCode);
}

async function main() {
  const opts = options();
  fs.mkdirSync(path.join(opts.dataDir, "emulator"), { recursive: true });
  process.once("SIGINT", () => stopAll());
  process.once("SIGTERM", () => stopAll());

  const emulatorPort = await portToUse(opts.emulatorPort);
  console.log("[demo] starting the emulator with the demo fleet…");
  const emulatorEnv = { ...process.env, CACHEDECK_DATA_DIR: opts.dataDir, ...(opts.traffic ? {} : { CACHEDECK_WORKLOAD: "off" }) };
  const emulator = start(
    "emulator",
    [TSX_BIN, "emulator/main.ts", "--port", String(emulatorPort), "--data-dir", path.join(opts.dataDir, "emulator"), "--fleet", "emulator/fleets/demo.json"],
    emulatorEnv,
  );
  const emulatorUrl = (await emulator.ready(/^listening on (http:\/\/\S+)$/m))[1];

  buildIfStale();
  const port = await portToUse(opts.port);
  const url = `http://127.0.0.1:${port}`;
  const app = start("dashboard", [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    CACHEDECK_DEMO: "1",
    CACHEDECK_DATA_DIR: opts.dataDir,
    CACHEDECK_ACCOUNTS_FILE: DEMO_ACCOUNTS_FILE,
    CACHEDECK_CACHE_CA_FILE: path.join(opts.dataDir, "emulator", "tls", "ca.crt"),
    CACHEDECK_CACHE_AUTH_TOKENS_FILE: demoAuthTokensFile(opts.dataDir),
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: sessionSecret(opts.dataDir),
    AWS_ENDPOINT_URL: emulatorUrl,
    AWS_ACCESS_KEY_ID: "AKIDCACHEDECKDEMO",
    AWS_SECRET_ACCESS_KEY: "demo-secret-not-used-by-the-emulator",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  await app.ready(/Ready in|started server on|Local:/i);

  console.log(`
CacheDeck demo is running: ${url}
  emulator (ElastiCache, CloudWatch, FIS, STS APIs): ${emulatorUrl}
    try: aws --endpoint-url ${emulatorUrl} --region us-east-1 elasticache describe-replication-groups
  accounts: production and staging, through STS AssumeRole (${path.relative(ROOT, DEMO_ACCOUNTS_FILE)})
  demo sign-ins (pick one on the sign-in page):
${demoUsers.map((u) => `    ${(u.role ?? "account").padEnd(8)} ${u.name} — ${u.description}`).join("\n")}
  logs and data: ${path.relative(ROOT, opts.dataDir)}/  ·  Ctrl-C stops everything
`);
}

main().catch((error) => {
  console.error(`[demo] ${(error as Error).message}`);
  void stopAll(1);
});
