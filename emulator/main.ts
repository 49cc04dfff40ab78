import { parseArgs } from "node:util";
import { DEFAULT_TEST_FAILOVER_QUOTA, DEFAULT_TIME_SCALE } from "./elasticache/state/settings";
import { startEmulator, type RunningEmulator } from "./emulator";
import { originPolicy } from "./server/request-origin";

// `npm run emulator -- --port N --data-dir DIR [--fleet FILE]`: the emulator in the foreground. Prints exactly
// "listening on http://127.0.0.1:N" on stdout once it serves; everything else goes to stderr.

const USAGE =
  "usage: npm run emulator -- --port N --data-dir DIR [--fleet FILE] [--time-scale X] [--test-failover-quota N] " +
  "[--allowed-origin ORIGIN]... [--allowed-host NAME]... [--quiet]";

function fail(message: string, code: number): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(code);
}

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        "data-dir": { type: "string" },
        fleet: { type: "string" },
        "time-scale": { type: "string", default: process.env.EMULATOR_TIME_SCALE },
        "test-failover-quota": { type: "string", default: process.env.EMULATOR_TEST_FAILOVER_QUOTA },
        "allowed-origin": { type: "string", multiple: true },
        "allowed-host": { type: "string", multiple: true },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(
      `${USAGE}\n  --port 0 picks a free port. --time-scale (default ${DEFAULT_TIME_SCALE}) paces failovers and scaling; ` +
        `--test-failover-quota (default ${DEFAULT_TEST_FAILOVER_QUOTA}) is TestFailover's shards per 24 h. ` +
        `--allowed-origin / --allowed-host admit a web origin or Host name besides loopback ones. See docs/emulator.md.\n`,
    );
    process.exit(0);
  }
  if (values.port === undefined) fail(`--port is required\n${USAGE}`, 2);
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) fail(`--port must be a number from 0 to 65535, got "${values.port}"`, 2);
  if (!values["data-dir"]) fail(`--data-dir is required\n${USAGE}`, 2);
  return {
    port: Number(values.port),
    dataDir: values["data-dir"],
    fleetFile: values.fleet,
    quiet: values.quiet,
    settings: readSettings(values["time-scale"], values["test-failover-quota"]),
    originPolicy: readOriginPolicy(values["allowed-origin"], values["allowed-host"]),
  };
}

/** --allowed-origin / --allowed-host (repeatable), added to comma-separated EMULATOR_EXTRA_ALLOWED_ORIGINS / _HOSTS. */
function readOriginPolicy(origins: string[] = [], hosts: string[] = []) {
  const fromEnv = (name: string) => (process.env[name] ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  try {
    return originPolicy([...fromEnv("EMULATOR_EXTRA_ALLOWED_ORIGINS"), ...origins], [...fromEnv("EMULATOR_EXTRA_ALLOWED_HOSTS"), ...hosts]);
  } catch (error) {
    fail((error as Error).message, 2);
  }
}

/** --time-scale / EMULATOR_TIME_SCALE and --test-failover-quota / EMULATOR_TEST_FAILOVER_QUOTA (the flag wins). */
function readSettings(timeScale: string | undefined, quota: string | undefined) {
  const settings: { timeScale?: number; testFailoverShardsPer24Hours?: number } = {};
  if (timeScale !== undefined && timeScale !== "") {
    if (!/^\d+(\.\d+)?$/.test(timeScale) || Number(timeScale) > 10) fail(`--time-scale must be a number from 0 to 10, got "${timeScale}"`, 2);
    settings.timeScale = Number(timeScale);
  }
  if (quota !== undefined && quota !== "") {
    if (!/^\d+$/.test(quota) || Number(quota) < 1) fail(`--test-failover-quota must be a whole number of at least 1, got "${quota}"`, 2);
    settings.testFailoverShardsPer24Hours = Number(quota);
  }
  return settings;
}

async function main() {
  const options = readOptions();
  const log = options.quiet ? () => {} : (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ ...options, log });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === "EADDRINUSE" ? `port ${options.port} is already in use` : (error as Error).message, 1);
  }
  process.stdout.write(`listening on ${emulator.url}\n`);

  const shutdown = (signal: string) => {
    log(`${signal}: stopping every node`);
    emulator.stop().then(
      () => process.exit(0),
      (error) => fail(`stopping failed: ${(error as Error).message}`, 1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
