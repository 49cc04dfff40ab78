#!/usr/bin/env node
// Makes sure the programs CacheDeck runs beside Node are present: redis-server and memcached (the emulator's cache
// nodes), chromium (the end-to-end tests) and Postgres (the tests of the audit log on Postgres). As root on Debian/Ubuntu it installs what is missing with apt-get;
// otherwise it stops and names the package to install, because guessing at sudo or Homebrew would surprise people.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const wanted = [
  { bin: "redis-server", apt: "redis-server", brew: "redis" },
  { bin: "redis-cli", apt: "redis-server", brew: "redis" },
  { bin: "memcached", apt: "memcached", brew: "memcached" },
  { bin: "chromium", apt: "chromium", cask: "chromium", optionalEnv: "CACHEDECK_SKIP_BROWSER" },
  // Debian keeps Postgres's programs out of PATH, under /usr/lib/postgresql/<version>/bin (see tests/helpers/postgres.ts).
  { bin: "initdb", apt: "postgresql", brew: "postgresql", found: postgresInstalled },
];

function postgresInstalled() {
  const root = "/usr/lib/postgresql";
  return onPath("initdb") || (existsSync(root) && readdirSync(root).some((v) => existsSync(path.join(root, v, "bin", "initdb"))));
}

function present(w) {
  return w.found ? w.found() : onPath(w.bin);
}

function onPath(bin) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, bin))) return true;
  }
  return false;
}

const missing = wanted.filter((w) => !present(w) && !(w.optionalEnv && process.env[w.optionalEnv]));
if (missing.length === 0) process.exit(0);

const aptPackages = [...new Set(missing.map((m) => m.apt))];
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = onPath("apt-get");

if (isRoot && hasApt) {
  console.log(`[setup] installing ${aptPackages.join(", ")} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update"], { stdio: "inherit", env });
  if (update.status !== 0) fail(`apt-get update failed (exit ${update.status})`);
  const install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...aptPackages], { stdio: "inherit", env });
  if (install.status !== 0) fail(`apt-get install failed (exit ${install.status})`);
  const still = missing.filter((m) => !present(m));
  if (still.length > 0) fail(`still missing after apt-get: ${still.map((m) => m.bin).join(", ")}`);
  for (const m of missing) {
    if (m.found) {
      console.log(`[setup] ${m.apt}: installed`);
      continue;
    }
    try {
      const v = execFileSync(m.bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0];
      console.log(`[setup] ${m.bin}: ${v}`);
    } catch {
      console.log(`[setup] ${m.bin}: installed`);
    }
  }
  process.exit(0);
}

fail(
  [
    `missing: ${missing.map((m) => m.bin).join(", ")}`,
    `  Debian/Ubuntu: sudo apt-get install -y ${aptPackages.join(" ")}`,
    ...homebrewCommands(missing).map((command) => `  macOS (Homebrew): ${command}`),
    `  (set CACHEDECK_SKIP_BROWSER=1 to run without chromium; the end-to-end tests are then skipped)`,
  ].join("\n"),
);

/** Formulae and casks need separate commands: `--cask` would apply to every name on the line. */
function homebrewCommands(items) {
  const formulae = [...new Set(items.flatMap((m) => (m.brew ? [m.brew] : [])))];
  const casks = [...new Set(items.flatMap((m) => (m.cask ? [m.cask] : [])))];
  return [
    ...(formulae.length > 0 ? [`brew install ${formulae.join(" ")}`] : []),
    ...(casks.length > 0 ? [`brew install --cask ${casks.join(" ")}`] : []),
  ];
}

function fail(message) {
  console.error(`[setup] ${message}`);
  process.exit(1);
}
