import { parseArgs } from "node:util";
import { startEmulator, type RunningEmulator } from "./emulator";

// `npm run emulator -- --port N --data-dir DIR [--fleet FILE]`: the emulator in the foreground. Prints exactly
// "listening on http://127.0.0.1:N" on stdout once it serves; everything else goes to stderr.

const USAGE = "usage: npm run emulator -- --port N --data-dir DIR [--fleet FILE] [--quiet]";

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
    process.stdout.write(`${USAGE}\n  --port 0 picks a free port. See docs/emulator.md.\n`);
    process.exit(0);
  }
  if (values.port === undefined) fail(`--port is required\n${USAGE}`, 2);
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) fail(`--port must be a number from 0 to 65535, got "${values.port}"`, 2);
  if (!values["data-dir"]) fail(`--data-dir is required\n${USAGE}`, 2);
  return { port: Number(values.port), dataDir: values["data-dir"], fleetFile: values.fleet, quiet: values.quiet };
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
