import "server-only";
import { z } from "zod";

/** A configuration value is missing or malformed; the message names the variable and how to fix it. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const regionsSchema = z
  .string()
  .transform((raw) => raw.split(",").map((r) => r.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().regex(regionPattern, { message: "is not an AWS region name such as us-east-1" }))
      .min(1, { message: "names no region" }),
  );

type Env = Record<string, string | undefined>;

function readRegions(env: Env): string[] {
  const raw = env.CACHEDECK_REGIONS ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const parsed = regionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const culprit = issue.path.length > 0 ? `"${(raw.split(",")[Number(issue.path[0])] ?? "").trim()}" ` : "";
    throw new ConfigError(
      `CACHEDECK_REGIONS=${JSON.stringify(raw)}: ${culprit}${issue.message}. ` +
        "Set it to a comma-separated list of regions, for example CACHEDECK_REGIONS=us-east-1,eu-west-1.",
    );
  }
  return [...new Set(parsed.data)];
}

export interface DashboardConfig {
  /** Regions shown on the fleet page, in the configured order. */
  regions: string[];
}

let dashboardConfigCache: DashboardConfig | undefined;

/**
 * The dashboard's part of the configuration. AWS credentials and endpoints (AWS_PROFILE, AWS_ACCESS_KEY_ID,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ELASTICACHE, AWS_ENDPOINT_URL_CLOUDWATCH) are deliberately not read here:
 * the AWS SDK resolves them itself, exactly as the AWS CLI does.
 */
export function dashboardConfig(env: Env = process.env): DashboardConfig {
  if (env !== process.env) return { regions: readRegions(env) };
  dashboardConfigCache ??= { regions: readRegions(env) };
  return dashboardConfigCache;
}
