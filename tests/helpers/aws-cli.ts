import { execFileSync, spawn } from "node:child_process";
import { TEST_CREDENTIALS } from "./emulator";

// The real AWS CLI and boto3 against the emulator, when python3 has them. Everything runs asynchronously: an
// in-process emulator shares the test's event loop, so a synchronous child would deadlock it.

function available(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const HAS_AWS_CLI = available("aws", ["--version"]);
export const HAS_BOTO3 = available("python3", ["-c", "import boto3"]);

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Credentials for a child process: the fake long-term test keys unless a test passes STS session credentials. */
export interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An environment with the given (by default fake) credentials and no trace of the user's own AWS configuration. */
function isolatedEnv(region: string, credentials: CliCredentials = TEST_CREDENTIALS): NodeJS.ProcessEnv {
  return {
    NODE_ENV: process.env.NODE_ENV,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
  };
}

export function runProcess(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** `aws --endpoint-url <url> --region <region> --output json <args>`. */
export function awsCli(url: string, args: string[], region = "us-east-1", credentials?: CliCredentials): Promise<ProcessResult> {
  return runProcess("aws", ["--endpoint-url", url, "--region", region, "--output", "json", ...args], { env: isolatedEnv(region, credentials) });
}

/** Runs a Python script with `client` bound to a boto3 client of `service` for the emulator. */
export function boto3Script(url: string, service: string, script: string, region = "us-east-1", credentials?: CliCredentials): Promise<ProcessResult> {
  const prelude = `import boto3, json, sys\nclient = boto3.client(${JSON.stringify(service)}, endpoint_url=${JSON.stringify(url)}, region_name=${JSON.stringify(region)})\n`;
  return runProcess("python3", ["-"], { input: prelude + script, env: isolatedEnv(region, credentials) });
}
