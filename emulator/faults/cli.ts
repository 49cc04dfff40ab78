import { parseArgs } from "node:util";
import { FAULTS_PATH } from "./routes";

// `npm run emulator:fault -- <command> [options]`: the fault endpoints from a shell. Prints the endpoint's JSON answer
// on stdout; a refused request prints its message on stderr and exits 1, bad usage exits 2.

const USAGE = `usage: npm run emulator:fault -- <command> [options] [--endpoint URL] [--account ID_OR_NAME]

  kill-node --cluster ID [--node 0001] [--region R]     SIGKILL one node (kill -9)
  kill-node --serverless NAME [--region R]
  interrupt-az-power --zone AZ [--duration SECONDS] [--group ID]...
                                                        cut a zone's power (default 600 s)
  slow-replication --cluster ID --delay-ms N [--bytes-per-second N] [--region R]
                                                        make a replica's lag grow
  list [--all]                                          active faults (--all: ended ones too)
  end FAULT_ID                                          end a fault now

--endpoint defaults to $AWS_ENDPOINT_URL, else http://127.0.0.1:4566. --region defaults to $AWS_REGION, else us-east-1.
--account picks an account of a multi-account fleet (default: the first). See docs/emulator-faults.md.`;

function usage(message: string): never {
  process.stderr.write(`emulator:fault: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) usage(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function readCommand() {
  try {
    return parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        endpoint: { type: "string" },
        account: { type: "string" },
        region: { type: "string" },
        cluster: { type: "string" },
        node: { type: "string" },
        serverless: { type: "string" },
        zone: { type: "string" },
        duration: { type: "string" },
        group: { type: "string", multiple: true },
        "delay-ms": { type: "string" },
        "bytes-per-second": { type: "string" },
        all: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
}

/** The HTTP request a command stands for. */
function requestFor(command: string | undefined, args: string[], values: ReturnType<typeof readCommand>["values"]): { method: string; path: string; body?: unknown } {
  const region = values.region ?? process.env.AWS_REGION ?? "us-east-1";
  switch (command) {
    case "kill-node":
      if (values.serverless) return { method: "POST", path: "/kill-node", body: { region, serverlessCacheName: values.serverless } };
      if (!values.cluster) usage("kill-node needs --cluster ID or --serverless NAME");
      return { method: "POST", path: "/kill-node", body: { region, cacheClusterId: values.cluster, cacheNodeId: values.node } };
    case "interrupt-az-power":
      if (!values.zone) usage("interrupt-az-power needs --zone, e.g. --zone us-east-1a");
      return {
        method: "POST",
        path: "/interrupt-az-power",
        body: { region: values.region, availabilityZone: values.zone, durationSeconds: integer(values.duration, "duration"), replicationGroupIds: values.group },
      };
    case "slow-replication":
      if (!values.cluster || values["delay-ms"] === undefined) usage("slow-replication needs --cluster ID and --delay-ms N");
      return {
        method: "POST",
        path: "/slow-replication",
        body: { region, cacheClusterId: values.cluster, delayMs: integer(values["delay-ms"], "delay-ms"), bytesPerSecond: integer(values["bytes-per-second"], "bytes-per-second") },
      };
    case "list":
      return { method: "GET", path: values.all ? "?state=all" : "" };
    case "end":
      if (!args[0]) usage("end needs the fault id, e.g. end fault-1a2b3c4d");
      return { method: "DELETE", path: `/${args[0]}` };
    default:
      usage(command ? `unknown command "${command}"` : "a command is required");
  }
}

async function main() {
  const { values, positionals } = readCommand();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, ...args] = positionals;
  const request = requestFor(command, args, values);
  const endpoint = (values.endpoint ?? process.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:4566").replace(/\/$/, "");
  let response: Response;
  try {
    const url = new URL(`${endpoint}${FAULTS_PATH}${request.path}`);
    if (values.account) url.searchParams.set("account", values.account);
    response = await fetch(url, {
      method: request.method,
      headers: request.body ? { "content-type": "application/json" } : undefined,
      body: request.body ? JSON.stringify(request.body) : undefined,
    });
  } catch (error) {
    process.stderr.write(`emulator:fault: cannot reach the emulator at ${endpoint}: ${(error as Error).cause ?? (error as Error).message}\n`);
    process.exit(1);
  }
  const text = await response.text();
  if (!response.ok) {
    const message = (() => {
      try {
        return (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        return text;
      }
    })();
    process.stderr.write(`emulator:fault: ${response.status} ${message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
}

void main();
