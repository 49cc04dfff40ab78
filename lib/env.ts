import "server-only";
import { z } from "zod";
import type { Role } from "@/lib/auth/permissions";
import { readAccounts, snsTopicArnPattern, type AccountsConfig } from "@/lib/accounts-file";
import { parsePlaceSegment, placeKey, placeLabel, regionPattern } from "@/lib/place";
import type { CacheAccessConfig } from "@/lib/drills/cache-access";

// Configuration is read from the environment once and validated as a whole, so a misconfigured deployment stops at
// start-up with every problem listed, instead of failing on the first request that happens to need a value.
// Each concern has its own section (sign-in and sessions, regions, AWS calls, drills, the watcher), read by the one
// parse below; add a key to the section it belongs to (or a new section in `sections`) and to docs/README.
// Every problem, whatever its section, is an EnvError naming the variable and the fix.

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`CacheDeck configuration is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );

const flag = z.enum(["0", "1", "true", "false"]).optional().transform((v) => v === "1" || v === "true");

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

  // Demo mode
  CACHEDECK_DEMO: flag,

  // Sessions
  NEXTAUTH_SECRET: optionalText,
  NEXTAUTH_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://cachedeck.example.com" }).optional(),
  CACHEDECK_SESSION_MAX_AGE: z.coerce
    .number({ error: "must be a number of seconds" })
    .int()
    .min(300, "must be at least 300 seconds")
    .max(30 * 24 * 3600, "must be at most 30 days")
    .default(8 * 3600),
  CACHEDECK_ALLOWED_HOSTS: commaList.pipe(
    z.array(z.string().regex(/^[^/\s@]+$/, "must be host names with an optional port (cachedeck.internal:3000), without scheme or path")),
  ),

  // Sign-in providers
  GITHUB_ID: optionalText,
  GITHUB_SECRET: optionalText,
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: "must be the issuer URL, e.g. https://login.example.com/realms/ops" }).optional(),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: optionalText,
  OIDC_SCOPE: z.string().trim().default("openid email profile"),
  OIDC_GROUPS_CLAIM: z.string().trim().min(1).default("groups"),

  // Role mapping
  CACHEDECK_ADMIN_EMAILS: commaList,
  CACHEDECK_OPERATOR_EMAILS: commaList,
  CACHEDECK_VIEWER_EMAILS: commaList,
  CACHEDECK_ADMIN_GROUPS: commaList,
  CACHEDECK_OPERATOR_GROUPS: commaList,
  CACHEDECK_VIEWER_GROUPS: commaList,
  CACHEDECK_DEFAULT_ROLE: z.enum(["viewer", "deny"], { error: 'must be "viewer" or "deny"' }).default("deny"),

  // Storage
  CACHEDECK_DATA_DIR: z.string().trim().min(1).default("data"),
  CACHEDECK_AUDIT_UNFINISHED_AFTER_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .int()
    .min(2, "must be at least 2 seconds")
    .max(3600, "must be at most 3600 seconds")
    .default(120),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL (leave it unset for the SQLite file)")
    .optional(),
});

export interface RoleRules {
  emails: Record<Role, string[]>;
  groups: Record<Role, string[]>;
  /** Role of a signed-in person no rule matches; null refuses the sign-in. */
  fallback: Role | null;
}

export interface Env {
  production: boolean;
  demo: boolean;
  session: { secret: string; maxAgeSeconds: number; url: URL | null; secureCookies: boolean };
  /** Hosts besides NEXTAUTH_URL's that requests may name (a reverse proxy's upstream name); see lib/auth/allowed-hosts.ts. */
  allowedHosts: string[];
  providers: {
    github: { clientId: string; clientSecret: string } | null;
    oidc: { issuer: string; clientId: string; clientSecret: string; name: string; scope: string; groupsClaim: string } | null;
  };
  roles: RoleRules;
  storage: { dataDir: string; databaseUrl: string | null };
  /** A pending audit record older than this was abandoned by a crash; AWS calls get half of it as their deadline. */
  auditUnfinishedAfterMs: number;
  dashboard: DashboardConfig;
  alarms: AlarmsConfig;
  /** The AWS accounts to show (lib/accounts-file.ts), or the credential chain's own. */
  accounts: AccountsConfig;
  awsCalls: AwsCallConfig;
  drills: DrillConfig;
  watcher: WatcherConfig;
}

// Anyone may sign in as admin in demo mode, so a secret for its session cookies protects nothing; a fixed one keeps
// every server process (app, proxy) of a demo in agreement without configuration.
const DEMO_SECRET = "cachedeck-demo-mode-session-secret-not-for-production";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

type Raw = z.infer<typeof rawSchema>;
type EnvSource = Record<string, string | undefined>;

type SignInConfig = Omit<Env, "dashboard" | "accounts" | "awsCalls" | "drills" | "watcher" | "alarms">;

/** Sign-in, sessions, roles and storage: the variables above, and the rules that tie them together. */
function readSignIn(source: EnvSource): Section<SignInConfig> {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) return { problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) };
  const raw = parsed.data;
  const problems = [...productionProblems(raw), ...providerProblems(raw), ...secretProblems(raw)];
  if (problems.length > 0) return { problems };

  const url = raw.NEXTAUTH_URL ? new URL(raw.NEXTAUTH_URL) : null;
  return { value: {
    production: raw.NODE_ENV === "production",
    demo: raw.CACHEDECK_DEMO,
    session: {
      secret: raw.NEXTAUTH_SECRET ?? DEMO_SECRET,
      maxAgeSeconds: raw.CACHEDECK_SESSION_MAX_AGE,
      url,
      secureCookies: url?.protocol === "https:",
    },
    allowedHosts: raw.CACHEDECK_ALLOWED_HOSTS,
    providers: {
      github: raw.GITHUB_ID && raw.GITHUB_SECRET ? { clientId: raw.GITHUB_ID, clientSecret: raw.GITHUB_SECRET } : null,
      oidc:
        raw.OIDC_ISSUER && raw.OIDC_CLIENT_ID && raw.OIDC_CLIENT_SECRET
          ? {
              issuer: raw.OIDC_ISSUER.replace(/\/+$/, ""),
              clientId: raw.OIDC_CLIENT_ID,
              clientSecret: raw.OIDC_CLIENT_SECRET,
              name: raw.OIDC_NAME ?? "Single sign-on",
              scope: raw.OIDC_SCOPE,
              groupsClaim: raw.OIDC_GROUPS_CLAIM,
            }
          : null,
    },
    roles: {
      emails: {
        admin: raw.CACHEDECK_ADMIN_EMAILS.map((e) => e.toLowerCase()),
        operator: raw.CACHEDECK_OPERATOR_EMAILS.map((e) => e.toLowerCase()),
        viewer: raw.CACHEDECK_VIEWER_EMAILS.map((e) => e.toLowerCase()),
      },
      groups: { admin: raw.CACHEDECK_ADMIN_GROUPS, operator: raw.CACHEDECK_OPERATOR_GROUPS, viewer: raw.CACHEDECK_VIEWER_GROUPS },
      fallback: raw.CACHEDECK_DEFAULT_ROLE === "viewer" ? "viewer" : null,
    },
    storage: { dataDir: raw.CACHEDECK_DATA_DIR, databaseUrl: raw.DATABASE_URL ?? null },
    auditUnfinishedAfterMs: raw.CACHEDECK_AUDIT_UNFINISHED_AFTER_SECONDS * 1000,
  } };
}

function productionProblems(raw: Raw): string[] {
  if (raw.NODE_ENV !== "production") return [];
  if (!raw.NEXTAUTH_URL) {
    return ["NEXTAUTH_URL is required in production: the public URL of CacheDeck, used for sign-in redirects and cookies"];
  }
  if (!raw.CACHEDECK_DEMO) return [];
  const host = new URL(raw.NEXTAUTH_URL).hostname;
  if (LOOPBACK_HOSTS.has(host) || host === "::1") return [];
  return [
    `CACHEDECK_DEMO=1 in a production build served at ${raw.NEXTAUTH_URL}: demo mode lets anyone sign in as admin, ` +
      "so it is refused on anything but a loopback address. Unset CACHEDECK_DEMO and configure a sign-in provider.",
  ];
}

function providerProblems(raw: Raw): string[] {
  const problems: string[] = [];
  if (Boolean(raw.GITHUB_ID) !== Boolean(raw.GITHUB_SECRET)) {
    problems.push("GITHUB_ID and GITHUB_SECRET: set both (the GitHub OAuth app's client id and secret) or neither");
  }
  const oidc = [raw.OIDC_ISSUER, raw.OIDC_CLIENT_ID, raw.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    problems.push("OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three to enable the OIDC provider, or none");
  }
  const anyProvider = (raw.GITHUB_ID && raw.GITHUB_SECRET) || oidc === 3;
  if (!raw.CACHEDECK_DEMO && !anyProvider) {
    problems.push(
      "no sign-in provider: configure GitHub (GITHUB_ID, GITHUB_SECRET) or OIDC (OIDC_ISSUER, OIDC_CLIENT_ID, " +
        "OIDC_CLIENT_SECRET), or set CACHEDECK_DEMO=1 for the local demo",
    );
  }
  return problems;
}

function secretProblems(raw: Raw): string[] {
  if (raw.CACHEDECK_DEMO) return [];
  if (!raw.NEXTAUTH_SECRET) {
    return ["NEXTAUTH_SECRET is required outside demo mode: it signs the session cookies (generate one with `openssl rand -base64 32`)"];
  }
  if (raw.NEXTAUTH_SECRET.length < 32) return ["NEXTAUTH_SECRET must be at least 32 characters long (`openssl rand -base64 32`)"];
  return [];
}

// Dashboard: the regions to show. AWS credentials and endpoints (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_ELASTICACHE, AWS_ENDPOINT_URL_CLOUDWATCH) are deliberately not read here: the AWS SDK resolves
// them itself, exactly as the AWS CLI does.


const regionsSchema = z
  .string()
  .transform((raw) => raw.split(",").map((r) => r.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().regex(regionPattern, { message: "is not an AWS region name such as us-east-1" }))
      .min(1, { message: "names no region" }),
  );

function readDashboard(env: EnvSource): Section<DashboardConfig> {
  const raw = env.CACHEDECK_REGIONS ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const parsed = regionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const culprit = issue.path.length > 0 ? `"${(raw.split(",")[Number(issue.path[0])] ?? "").trim()}" ` : "";
    return {
      problems: [
        `CACHEDECK_REGIONS=${JSON.stringify(raw)}: ${culprit}${issue.message}. ` +
          "Set it to a comma-separated list of regions, for example CACHEDECK_REGIONS=us-east-1,eu-west-1.",
      ],
    };
  }
  return { value: { regions: [...new Set(parsed.data)] } };
}

export interface DashboardConfig {
  /** Regions shown on the fleet page, in the configured order. */
  regions: string[];
}


const seconds = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .min(min, `${name} must be at least ${min} seconds`)
    .max(max, `${name} must be at most ${max} seconds`);

// AWS calls: how long one call may take. An endpoint that accepts connections and never answers must not hold a page
// or an operation: every call gets a connect timeout, a deadline per attempt, and one budget for all its attempts
// (the SDK's retries happen inside it). The defaults suit AWS (answers in well under a second, a few seconds for a
// big GetMetricData) and the emulator alike; a page in a region that does not answer renders after one budget.

const awsCallSchema = z
  .object({
    CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS: seconds("CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS", 0.1, 60).default(3),
    CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS: seconds("CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS", 0.2, 300).default(10),
    CACHEDECK_AWS_CALL_BUDGET_SECONDS: seconds("CACHEDECK_AWS_CALL_BUDGET_SECONDS", 0.5, 600).default(20),
    CACHEDECK_AWS_MAX_ATTEMPTS: z.coerce
      .number({ error: "CACHEDECK_AWS_MAX_ATTEMPTS must be a whole number" })
      .int("CACHEDECK_AWS_MAX_ATTEMPTS must be a whole number")
      .min(1, "CACHEDECK_AWS_MAX_ATTEMPTS must be at least 1")
      .max(10, "CACHEDECK_AWS_MAX_ATTEMPTS must be at most 10")
      .default(3),
  })
  .refine((raw) => raw.CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS <= raw.CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS, {
    message: "CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS must not exceed CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS (connecting is part of an attempt)",
  })
  .refine((raw) => raw.CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS <= raw.CACHEDECK_AWS_CALL_BUDGET_SECONDS, {
    message: "CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS must not exceed CACHEDECK_AWS_CALL_BUDGET_SECONDS (an attempt is part of a call)",
  });

export interface AwsCallConfig {
  /** Longest wait for a TCP (and TLS) connection to the endpoint. */
  connectTimeoutMs: number;
  /** Longest wait for one attempt's answer, connection included. */
  attemptTimeoutMs: number;
  /** Longest time one API call may take in all: every attempt, retry and back-off. */
  budgetMs: number;
  /** Attempts per call (the first one and the SDK's retries), all inside the budget. */
  maxAttempts: number;
}

/** A section validated by a zod schema whose messages name their variable, then shaped for its readers. */
function zodSection<Schema extends z.ZodType, Config>(schema: Schema, shape: (raw: z.output<Schema>) => Config): (env: EnvSource) => Section<Config> {
  return (env) => {
    const parsed = schema.safeParse(env);
    return parsed.success ? { value: shape(parsed.data) } : { problems: parsed.error.issues.map((issue) => issue.message) };
  };
}

const readAwsCalls = zodSection(
  awsCallSchema,
  (raw): AwsCallConfig => ({
    connectTimeoutMs: Math.round(raw.CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS * 1000),
    attemptTimeoutMs: Math.round(raw.CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS * 1000),
    budgetMs: Math.round(raw.CACHEDECK_AWS_CALL_BUDGET_SECONDS * 1000),
    maxAttempts: raw.CACHEDECK_AWS_MAX_ATTEMPTS,
  }),
);

// Drills: the objectives a drill is judged against unless the person starting it sets others, the pre-flight
// thresholds, how closely a running drill is watched, the IAM role AWS Fault Injection Service assumes to cut an
// Availability Zone's power, and the organization's own experiment templates, if it has them.

/** The emulator takes any well-formed role ARN; on AWS the role must exist and trust FIS (docs/drills.md). */
export const DEMO_FIS_ROLE_ARN = "arn:aws:iam::000000000000:role/cachedeck-fis-experiments";

/** A file path, or absent when blank; the file is read when it is needed (a drill's probe), not at start-up. */
const optionalPath = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v), z.string().optional());

const drillSchema = z.object({
  CACHEDECK_DRILL_OBJECTIVE_NEW_PRIMARY_SECONDS: seconds("CACHEDECK_DRILL_OBJECTIVE_NEW_PRIMARY_SECONDS", 1, 3600).default(180),
  CACHEDECK_DRILL_OBJECTIVE_HEALTHY_SECONDS: seconds("CACHEDECK_DRILL_OBJECTIVE_HEALTHY_SECONDS", 1, 6 * 3600).default(900),
  CACHEDECK_DRILL_OBJECTIVE_WRITE_OUTAGE_SECONDS: seconds("CACHEDECK_DRILL_OBJECTIVE_WRITE_OUTAGE_SECONDS", 0, 3600).default(30),
  CACHEDECK_DRILL_MAX_REPLICATION_LAG_SECONDS: seconds("CACHEDECK_DRILL_MAX_REPLICATION_LAG_SECONDS", 0, 3600).default(5),
  CACHEDECK_FAILOVER_QUOTA_PER_DAY: z.coerce
    .number({ error: "CACHEDECK_FAILOVER_QUOTA_PER_DAY must be a whole number" })
    .int("CACHEDECK_FAILOVER_QUOTA_PER_DAY must be a whole number")
    .min(1, "CACHEDECK_FAILOVER_QUOTA_PER_DAY must be at least 1")
    .default(15),
  CACHEDECK_DRILL_POLL_SECONDS: seconds("CACHEDECK_DRILL_POLL_SECONDS", 0.1, 60).default(2),
  CACHEDECK_DRILL_SHARD_TIMEOUT_SECONDS: seconds("CACHEDECK_DRILL_SHARD_TIMEOUT_SECONDS", 10, 6 * 3600).default(1800),
  CACHEDECK_DRILL_RECOVERY_EVENT_WAIT_SECONDS: seconds("CACHEDECK_DRILL_RECOVERY_EVENT_WAIT_SECONDS", 0, 3600).default(120),
  CACHEDECK_FIS_ROLE_ARN: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "CACHEDECK_FIS_ROLE_ARN must be an IAM role ARN, such as arn:aws:iam::123456789012:role/cachedeck-fis")
      .default(DEMO_FIS_ROLE_ARN),
  ),
  CACHEDECK_CACHE_CA_FILE: optionalPath,
  CACHEDECK_CACHE_AUTH_TOKENS_FILE: optionalPath,
  CACHEDECK_FIS_TEMPLATE_IDS: commaList.pipe(
    z.array(
      z
        .string()
        .regex(
          /^(?:[a-z][a-z0-9-]{0,31}~)?[a-z]{2}(-[a-z]+)+-\d+=EXT[A-Za-z0-9]{1,61}$/,
          "CACHEDECK_FIS_TEMPLATE_IDS must list account~region=template pairs, such as production~us-east-1=EXT1a2b3c4d5e6f7g,staging~eu-west-1=EXT7g6f5e4d3c2b1a (a bare region=template when CacheDeck shows one account)",
        ),
    ),
  ),
});

/**
 * The templates of CACHEDECK_FIS_TEMPLATE_IDS by place (placeKey). An experiment template belongs to one account, so
 * each pair names its account and region ("staging~us-east-1=EXT…"); a bare "us-east-1=EXT…", the variable's shape
 * before CacheDeck knew several accounts, still means the one account when there is only one.
 */
function fisTemplatesByPlace(pairs: readonly string[], accounts: AccountsConfig): Section<ReadonlyMap<string, string>> {
  const templates = new Map<string, string>();
  const problems: string[] = [];
  const names = accounts.accounts.map((a) => a.name);
  for (const pair of pairs) {
    const [segment, templateId] = pair.split("=");
    const { account, region } = parsePlaceSegment(segment);
    if (account === null && names.length > 1) {
      problems.push(
        `CACHEDECK_FIS_TEMPLATE_IDS: "${pair}" names no account, and CacheDeck shows several (${names.join(", ")}); an experiment template belongs to one account: write account~region=template, such as ${names[0]}~${region}=${templateId}`,
      );
      continue;
    }
    const place = { account: account ?? names[0], region };
    const known = accounts.accounts.find((a) => a.name === place.account);
    if (!known?.regions.includes(region)) {
      problems.push(`CACHEDECK_FIS_TEMPLATE_IDS: "${pair}" names ${placeLabel(place)}, which CacheDeck does not show (${known ? `${known.name}'s regions: ${known.regions.join(", ")}` : `accounts: ${names.join(", ")}`})`);
    } else if (templates.has(placeKey(place))) {
      problems.push(`CACHEDECK_FIS_TEMPLATE_IDS names ${placeLabel(place)} twice: one template per account and region`);
    } else {
      templates.set(placeKey(place), templateId);
    }
  }
  return problems.length > 0 ? { problems } : { value: templates };
}

export interface DrillConfig {
  objectives: { newPrimarySeconds: number; healthySeconds: number; writeOutageSeconds: number };
  /** A replica lagging more than this (CloudWatch ReplicationLag, worst of the last minutes) fails the pre-check. */
  maxReplicationLagSeconds: number;
  /** Shards per rolling 24 hours that TestFailover accepts in a region (AWS: 15; older accounts 5). */
  failoverQuotaPerDay: number;
  pollIntervalMs: number;
  /** A shard not healthy this long after its API call ends the drill as failed. */
  shardTimeoutMs: number;
  /** How long after a failover to wait for ElastiCache's "Recovering cache nodes" event before not expecting one. */
  recoveryEventWaitMs: number;
  /** The role FIS assumes for AZ power interruption experiments (CACHEDECK_FIS_ROLE_ARN; the demo role by default). */
  fisRoleArn: string;
  /**
   * The organization's own experiment template per account and region, by placeKey (CACHEDECK_FIS_TEMPLATE_IDS):
   * drills there start it instead of creating one, once the pre-flight has checked that it cuts the chosen zone of
   * that group alone.
   */
  fisTemplateIds: ReadonlyMap<string, string>;
  /** How the probe reaches TLS and AUTH groups (lib/drills/cache-access.ts); absent: the system's CAs and no tokens. */
  cacheAccess?: CacheAccessConfig;
}

const readDrillSettings = zodSection(
  drillSchema,
  (raw): Omit<DrillConfig, "fisTemplateIds"> & { fisTemplatePairs: string[] } => ({
    objectives: {
      newPrimarySeconds: raw.CACHEDECK_DRILL_OBJECTIVE_NEW_PRIMARY_SECONDS,
      healthySeconds: raw.CACHEDECK_DRILL_OBJECTIVE_HEALTHY_SECONDS,
      writeOutageSeconds: raw.CACHEDECK_DRILL_OBJECTIVE_WRITE_OUTAGE_SECONDS,
    },
    maxReplicationLagSeconds: raw.CACHEDECK_DRILL_MAX_REPLICATION_LAG_SECONDS,
    failoverQuotaPerDay: raw.CACHEDECK_FAILOVER_QUOTA_PER_DAY,
    pollIntervalMs: Math.round(raw.CACHEDECK_DRILL_POLL_SECONDS * 1000),
    shardTimeoutMs: Math.round(raw.CACHEDECK_DRILL_SHARD_TIMEOUT_SECONDS * 1000),
    recoveryEventWaitMs: Math.round(raw.CACHEDECK_DRILL_RECOVERY_EVENT_WAIT_SECONDS * 1000),
    fisRoleArn: raw.CACHEDECK_FIS_ROLE_ARN,
    fisTemplatePairs: raw.CACHEDECK_FIS_TEMPLATE_IDS,
    cacheAccess: { caFile: raw.CACHEDECK_CACHE_CA_FILE ?? null, authTokensFile: raw.CACHEDECK_CACHE_AUTH_TOKENS_FILE ?? null },
  }),
);

/** The drill settings, their templates resolved against the accounts CacheDeck shows. */
function readDrills(source: EnvSource): Section<DrillConfig> {
  const settings = readDrillSettings(source);
  if (settings.problems) return settings;
  const { fisTemplatePairs, ...config } = settings.value;
  if (fisTemplatePairs.length === 0) return { value: { ...config, fisTemplateIds: new Map() } };
  const accounts = sectionOf("accounts", source);
  if (accounts.problems) return { problems: ["CACHEDECK_FIS_TEMPLATE_IDS is checked once the accounts are valid (above)"] };
  const templates = fisTemplatesByPlace(fisTemplatePairs, accounts.value);
  return templates.problems ? templates : { value: { ...config, fisTemplateIds: templates.value } };
}

// The watcher: how often it asks ElastiCache for events and how much CloudWatch it may spend a day. The default
// budget keeps a fleet of 1,000 replication groups and 100 Memcached clusters (≈ 20,000 health metrics) under $50 a
// day at CloudWatch's $0.01 per 1,000 metrics requested, whatever the number of viewers.

const usd = (name: string) =>
  z.coerce.number({ error: `${name} must be an amount in US dollars, such as 40` }).positive(`${name} must be more than 0`);

const watcherSchema = z.object({
  CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY: usd("CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY").default(40),
  CACHEDECK_CLOUDWATCH_PRICE_PER_1000_METRICS: usd("CACHEDECK_CLOUDWATCH_PRICE_PER_1000_METRICS").default(0.01),
  CACHEDECK_EVENT_POLL_SECONDS: seconds("CACHEDECK_EVENT_POLL_SECONDS", 1, 300).default(5),
  CACHEDECK_EVENT_POLL_BUSY_SECONDS: seconds("CACHEDECK_EVENT_POLL_BUSY_SECONDS", 0.25, 60).default(1),
  CACHEDECK_WATCHER_IDLE_MINUTES: z.coerce
    .number({ error: "CACHEDECK_WATCHER_IDLE_MINUTES must be a number of minutes" })
    .min(1, "CACHEDECK_WATCHER_IDLE_MINUTES must be at least 1")
    .max(24 * 60, "CACHEDECK_WATCHER_IDLE_MINUTES must be at most 1440")
    .default(10),
  CACHEDECK_LIVE_TABS_PER_PERSON: z.coerce
    .number({ error: "CACHEDECK_LIVE_TABS_PER_PERSON must be a whole number of tabs" })
    .int("CACHEDECK_LIVE_TABS_PER_PERSON must be a whole number of tabs")
    .min(1, "CACHEDECK_LIVE_TABS_PER_PERSON must be at least 1")
    .max(1000, "CACHEDECK_LIVE_TABS_PER_PERSON must be at most 1000")
    .default(8),
  DATABASE_URL: rawSchema.shape.DATABASE_URL,
});

export interface WatcherConfig {
  /** CloudWatch spend per day the watchers of this instance plan their metric reads within. */
  budgetUsdPerDay: number;
  pricePer1000Metrics: number;
  eventPollMs: number;
  /** Event polling while an operation, drill or change is under way, or someone has a cache page open. */
  busyEventPollMs: number;
  /** A watcher nobody has looked at for this long stops calling AWS. */
  idleAfterMs: number;
  /** Tabs one person may have streaming at once, across every app instance; more is a runaway script, not a person. */
  liveTabsPerPerson: number;
  /** The Postgres database several app instances may share, and with it each watcher's lease; null with SQLite. */
  sharedDatabaseUrl: string | null;
}

const readWatcher = zodSection(
  watcherSchema,
  (raw): WatcherConfig => ({
    budgetUsdPerDay: raw.CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY,
    pricePer1000Metrics: raw.CACHEDECK_CLOUDWATCH_PRICE_PER_1000_METRICS,
    eventPollMs: Math.round(raw.CACHEDECK_EVENT_POLL_SECONDS * 1000),
    busyEventPollMs: Math.round(raw.CACHEDECK_EVENT_POLL_BUSY_SECONDS * 1000),
    idleAfterMs: Math.round(raw.CACHEDECK_WATCHER_IDLE_MINUTES * 60_000),
    liveTabsPerPerson: raw.CACHEDECK_LIVE_TABS_PER_PERSON,
    sharedDatabaseUrl: raw.DATABASE_URL ?? null,
  }),
);

// ---- the one parse ------------------------------------------------------------------------------------------------

// Recommended alarms: the SNS topic they notify in the credential chain's own account (an account of the accounts
// file names its own, alarmTopicArn). Unset: the alarms are created without actions and only change state.

const alarmsSchema = z.object({
  CACHEDECK_ALARM_SNS_TOPIC_ARN: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z.string().regex(snsTopicArnPattern, "CACHEDECK_ALARM_SNS_TOPIC_ARN must be an SNS topic ARN, such as arn:aws:sns:us-east-1:123456789012:cache-alarms").optional(),
  ),
});

export interface AlarmsConfig {
  /** The topic recommended alarms notify; null: none (the alarm still changes state, nobody is told). */
  snsTopicArn: string | null;
}

const readAlarms = zodSection(alarmsSchema, (raw): AlarmsConfig => ({ snsTopicArn: raw.CACHEDECK_ALARM_SNS_TOPIC_ARN ?? null }));

/** One section's outcome: its configuration, or every problem found in it. */
type Section<Config> = { value: Config; problems?: undefined } | { value?: undefined; problems: string[] };

// Without an accounts file, the chain's own account shows CACHEDECK_REGIONS (whose problems are the dashboard's).
const readAccountsSection = (source: EnvSource) => readAccounts(source, readDashboard(source).value?.regions ?? []);

const sections = { signIn: readSignIn, dashboard: readDashboard, accounts: readAccountsSection, awsCalls: readAwsCalls, drills: readDrills, watcher: readWatcher, alarms: readAlarms };
type Sections = { [K in keyof typeof sections]: ReturnType<(typeof sections)[K]> };

/**
 * The process's own environment is read once, each section when first needed (an AWS client needs no sign-in
 * settings, and start-up reads them all); other sources (tests) are read whole each time they are given.
 */
const processSections: Partial<Sections> = {};

function sectionOf<K extends keyof Sections>(key: K, source: EnvSource): Sections[K] {
  const read = () => sections[key](source) as Sections[K];
  if (source !== process.env) return read();
  return (processSections[key] ??= read()) as Sections[K];
}

/** The whole configuration; throws an EnvError listing every problem of every section. */
export function parseEnv(source: EnvSource): Env {
  const [signIn, dashboard, accounts, awsCalls, drills, watcher, alarms] = [
    sectionOf("signIn", source),
    sectionOf("dashboard", source),
    sectionOf("accounts", source),
    sectionOf("awsCalls", source),
    sectionOf("drills", source),
    sectionOf("watcher", source),
    sectionOf("alarms", source),
  ];
  const problems = [signIn, dashboard, accounts, awsCalls, drills, watcher, alarms].flatMap((section) => section.problems ?? []);
  if (problems.length > 0) throw new EnvError(problems);
  return {
    ...signIn.value!,
    dashboard: dashboard.value!,
    accounts: accounts.value!,
    awsCalls: awsCalls.value!,
    drills: drills.value!,
    watcher: watcher.value!,
    alarms: alarms.value!,
  };
}

/** The validated configuration of this process (checked whole at start-up, lib/startup-check.ts). */
export function getEnv(): Env {
  return parseEnv(process.env);
}

/**
 * One section of the same parse, for code that needs only it (an AWS client, the drill runner, the watcher) and for
 * tests that give a source of their own; throws an EnvError listing that section's problems.
 */
function sectionReader<K extends keyof Sections>(key: K) {
  return (source: EnvSource = process.env): NonNullable<Sections[K]["value"]> => {
    const section = sectionOf(key, source);
    if (section.problems) throw new EnvError(section.problems);
    return section.value as NonNullable<Sections[K]["value"]>;
  };
}

export const dashboardConfig = sectionReader("dashboard");
export const accountsConfig = sectionReader("accounts");
export const awsCallConfig = sectionReader("awsCalls");
export const drillConfig = sectionReader("drills");
export const watcherConfig = sectionReader("watcher");
export const alarmsConfig = sectionReader("alarms");
