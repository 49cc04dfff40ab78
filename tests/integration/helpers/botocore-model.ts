import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** botocore's install directory, or undefined without python3 and boto3. */
export function botocoreDir(): string | undefined {
  try {
    return execFileSync("python3", ["-c", "import boto3, botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

/**
 * A copy of botocore's CloudWatch model under `dir` that lists only `protocol`, so botocore speaks it; pass the
 * returned directory as AWS_DATA_PATH.
 */
export function cloudwatchModelFor(botocore: string, dir: string, protocol: string): string {
  const modelDir = path.join(dir, protocol);
  const target = path.join(modelDir, "cloudwatch", "2010-08-01");
  mkdirSync(target, { recursive: true });
  const model = JSON.parse(gunzipSync(readFileSync(path.join(botocore, "data", "cloudwatch", "2010-08-01", "service-2.json.gz"))).toString("utf8"));
  model.metadata.protocols = [protocol];
  model.metadata.protocol = protocol;
  writeFileSync(path.join(target, "service-2.json"), JSON.stringify(model));
  return modelDir;
}
