import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

// botocore's service models are the authoritative description of AWS's APIs (shapes, member names, list item names,
// error codes). Tests compare the emulator against them when python3 and botocore are installed.

export interface ModelShape {
  type: string;
  members?: Record<string, { shape: string; locationName?: string }>;
  member?: { shape: string; locationName?: string };
  error?: { code: string; httpStatusCode: number; senderFault?: boolean };
}

export interface ServiceModel {
  operations: Record<string, { input?: { shape: string }; output?: { shape: string }; errors?: Array<{ shape: string }> }>;
  shapes: Record<string, ModelShape>;
}

function botocoreDir(): string | undefined {
  try {
    return execFileSync("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The model of `service` at `version` (e.g. "elasticache", "2015-02-02"), or undefined when botocore is absent. */
export function loadBotocoreModel(service: string, version: string): ServiceModel | undefined {
  const dir = botocoreDir();
  if (!dir) return undefined;
  const base = path.join(dir, "data", service, version, "service-2.json");
  if (fs.existsSync(`${base}.gz`)) return JSON.parse(gunzipSync(fs.readFileSync(`${base}.gz`)).toString("utf8"));
  if (fs.existsSync(base)) return JSON.parse(fs.readFileSync(base, "utf8"));
  return undefined;
}
