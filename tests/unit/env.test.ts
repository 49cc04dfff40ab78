import { describe, expect, it } from "vitest";
import { awsCallConfig, dashboardConfig, EnvError, parseEnv } from "@/lib/env";

const secret = "s".repeat(32);
const github = { GITHUB_ID: "gh-id", GITHUB_SECRET: "gh-secret" };
const oidc = { OIDC_ISSUER: "https://login.example.com/realms/ops/", OIDC_CLIENT_ID: "cachedeck", OIDC_CLIENT_SECRET: "oidc-secret" };

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("parseEnv", () => {
  it("runs the demo without any secret or provider", () => {
    const env = parseEnv({ CACHEDECK_DEMO: "1" });
    expect(env.demo).toBe(true);
    expect(env.session.secret.length).toBeGreaterThanOrEqual(32);
    expect(env.session.secureCookies).toBe(false);
    expect(env.storage).toEqual({ dataDir: "data", databaseUrl: null });
  });

  it("is not in demo mode unless CACHEDECK_DEMO says so", () => {
    expect(parseEnv({ NEXTAUTH_SECRET: secret, ...github }).demo).toBe(false);
    expect(problemsOf({ CACHEDECK_DEMO: "yes" })[0]).toMatch(/^CACHEDECK_DEMO:/);
  });

  it("requires NEXTAUTH_SECRET outside demo mode, and a long one", () => {
    expect(problemsOf({ ...github })).toEqual([expect.stringMatching(/NEXTAUTH_SECRET is required outside demo mode/)]);
    expect(problemsOf({ ...github, NEXTAUTH_SECRET: "short" })).toEqual([expect.stringMatching(/at least 32 characters/)]);
  });

  it("requires a sign-in provider outside demo mode and lists every problem at once", () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/no sign-in provider/);
    expect(problems[1]).toMatch(/NEXTAUTH_SECRET/);
  });

  it("refuses half-configured providers", () => {
    expect(problemsOf({ NEXTAUTH_SECRET: secret, GITHUB_ID: "x" })).toContainEqual(expect.stringMatching(/GITHUB_ID and GITHUB_SECRET/));
    expect(problemsOf({ NEXTAUTH_SECRET: secret, ...github, OIDC_ISSUER: oidc.OIDC_ISSUER })).toEqual([
      expect.stringMatching(/OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/),
    ]);
    expect(problemsOf({ NEXTAUTH_SECRET: secret, ...oidc, OIDC_ISSUER: "not a url" })[0]).toMatch(/^OIDC_ISSUER: must be the issuer URL/);
  });

  it("reads GitHub and OIDC providers, trimming the issuer's trailing slash", () => {
    const env = parseEnv({ NEXTAUTH_SECRET: secret, ...github, ...oidc, OIDC_GROUPS_CLAIM: "cognito:groups" });
    expect(env.providers.github).toEqual({ clientId: "gh-id", clientSecret: "gh-secret" });
    expect(env.providers.oidc).toMatchObject({ issuer: "https://login.example.com/realms/ops", name: "Single sign-on", groupsClaim: "cognito:groups" });
  });

  it("uses secure cookies whenever the URL is https", () => {
    expect(parseEnv({ NEXTAUTH_SECRET: secret, ...github, NEXTAUTH_URL: "https://deck.example.com" }).session.secureCookies).toBe(true);
    expect(parseEnv({ NEXTAUTH_SECRET: secret, ...github, NEXTAUTH_URL: "http://127.0.0.1:3000" }).session.secureCookies).toBe(false);
  });

  it("needs NEXTAUTH_URL in production and refuses demo mode there unless served on loopback", () => {
    expect(problemsOf({ NODE_ENV: "production", NEXTAUTH_SECRET: secret, ...github })).toEqual([expect.stringMatching(/NEXTAUTH_URL is required/)]);
    expect(problemsOf({ NODE_ENV: "production", CACHEDECK_DEMO: "1", NEXTAUTH_URL: "https://deck.example.com" })).toEqual([
      expect.stringMatching(/demo mode lets anyone sign in as admin/),
    ]);
    expect(parseEnv({ NODE_ENV: "production", CACHEDECK_DEMO: "1", NEXTAUTH_URL: "http://127.0.0.1:3100" }).demo).toBe(true);
  });

  it("parses the role mapping lists and the default role (deny unless configured)", () => {
    const env = parseEnv({
      NEXTAUTH_SECRET: secret,
      ...github,
      CACHEDECK_ADMIN_EMAILS: " Boss@Example.com, ,@ops.example.com ",
      CACHEDECK_OPERATOR_GROUPS: "sre,oncall",
    });
    expect(env.roles.emails.admin).toEqual(["boss@example.com", "@ops.example.com"]);
    expect(env.roles.groups.operator).toEqual(["sre", "oncall"]);
    expect(env.roles.fallback).toBeNull();
    expect(parseEnv({ CACHEDECK_DEMO: "1", CACHEDECK_DEFAULT_ROLE: "viewer" }).roles.fallback).toBe("viewer");
    expect(problemsOf({ CACHEDECK_DEMO: "1", CACHEDECK_DEFAULT_ROLE: "admin" })[0]).toMatch(/CACHEDECK_DEFAULT_ROLE: must be "viewer" or "deny"/);
  });

  it("validates the session lifetime and the database URL", () => {
    expect(parseEnv({ CACHEDECK_DEMO: "1", CACHEDECK_SESSION_MAX_AGE: "3600" }).session.maxAgeSeconds).toBe(3600);
    expect(problemsOf({ CACHEDECK_DEMO: "1", CACHEDECK_SESSION_MAX_AGE: "10" })[0]).toMatch(/at least 300 seconds/);
    expect(problemsOf({ CACHEDECK_DEMO: "1", DATABASE_URL: "mysql://x" })[0]).toMatch(/postgres:\/\//);
    expect(parseEnv({ CACHEDECK_DEMO: "1", DATABASE_URL: "postgres://u@127.0.0.1/db" }).storage.databaseUrl).toBe("postgres://u@127.0.0.1/db");
    expect(parseEnv({ CACHEDECK_DEMO: "1" }).auditUnfinishedAfterMs).toBe(120_000);
    expect(parseEnv({ CACHEDECK_DEMO: "1", CACHEDECK_AUDIT_UNFINISHED_AFTER_SECONDS: "30" }).auditUnfinishedAfterMs).toBe(30_000);
    expect(problemsOf({ CACHEDECK_DEMO: "1", CACHEDECK_AUDIT_UNFINISHED_AFTER_SECONDS: "1" })[0]).toMatch(/at least 2 seconds/);
  });
});

describe("one validated configuration", () => {
  it("lists every problem of every section in one EnvError, each naming its variable", () => {
    expect(
      problemsOf({
        CACHEDECK_REGIONS: "Frankfurt",
        CACHEDECK_AWS_MAX_ATTEMPTS: "0",
        CACHEDECK_FIS_ROLE_ARN: "cachedeck-fis",
        CACHEDECK_EVENT_POLL_SECONDS: "often",
      }),
    ).toEqual([
      expect.stringMatching(/^no sign-in provider/),
      expect.stringMatching(/^NEXTAUTH_SECRET is required/),
      expect.stringMatching(/^CACHEDECK_REGIONS="Frankfurt": "Frankfurt" is not an AWS region name/),
      "CACHEDECK_AWS_MAX_ATTEMPTS must be at least 1",
      expect.stringMatching(/^CACHEDECK_FIS_ROLE_ARN must be an IAM role ARN/),
      "CACHEDECK_EVENT_POLL_SECONDS must be a number of seconds",
    ]);
  });

  it("carries every section, and each section reader gives the same values", () => {
    const source = { CACHEDECK_DEMO: "1", CACHEDECK_REGIONS: "eu-west-1", CACHEDECK_AWS_MAX_ATTEMPTS: "2" };
    const env = parseEnv(source);
    expect(env.dashboard).toEqual(dashboardConfig(source));
    expect(env.awsCalls).toEqual(awsCallConfig(source));
    expect(env.awsCalls.maxAttempts).toBe(2);
    expect(env.dashboard.regions).toEqual(["eu-west-1"]);
  });

  it("lets a section be read when only another section is wrong (an AWS client needs no sign-in settings)", () => {
    expect(awsCallConfig({ CACHEDECK_REGIONS: "Frankfurt" }).maxAttempts).toBe(3);
    expect(() => dashboardConfig({ CACHEDECK_REGIONS: "Frankfurt" })).toThrow(EnvError);
  });
});

describe("dashboardConfig", () => {
  it("reads several regions, trimmed and without duplicates", () => {
    expect(dashboardConfig({ CACHEDECK_REGIONS: " us-east-1, eu-west-1 ,us-east-1" }).regions).toEqual([
      "us-east-1",
      "eu-west-1",
    ]);
  });

  it("falls back to the SDK's region variables", () => {
    expect(dashboardConfig({ AWS_REGION: "ap-southeast-2" }).regions).toEqual(["ap-southeast-2"]);
    expect(dashboardConfig({}).regions).toEqual(["us-east-1"]);
  });

  it("names the bad region and shows a valid example", () => {
    expect(() => dashboardConfig({ CACHEDECK_REGIONS: "us-east-1,Frankfurt" })).toThrow(EnvError);
    expect(() => dashboardConfig({ CACHEDECK_REGIONS: "us-east-1,Frankfurt" })).toThrow(
      /"Frankfurt" is not an AWS region name.*CACHEDECK_REGIONS=us-east-1,eu-west-1/,
    );
    expect(() => dashboardConfig({ CACHEDECK_REGIONS: " , " })).toThrow(/names no region/);
  });
});

describe("awsCallConfig", () => {
  it("has defaults that suit AWS and the emulator: 3 s to connect, 10 s an attempt, 20 s a call, 3 attempts", () => {
    expect(awsCallConfig({})).toEqual({ connectTimeoutMs: 3_000, attemptTimeoutMs: 10_000, budgetMs: 20_000, maxAttempts: 3 });
  });

  it("reads seconds, fractions included", () => {
    expect(
      awsCallConfig({
        CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS: "0.5",
        CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS: "2.5",
        CACHEDECK_AWS_CALL_BUDGET_SECONDS: "6",
        CACHEDECK_AWS_MAX_ATTEMPTS: "2",
      }),
    ).toEqual({ connectTimeoutMs: 500, attemptTimeoutMs: 2_500, budgetMs: 6_000, maxAttempts: 2 });
  });

  it("refuses values that are not numbers, out of range, or do not nest (connect ≤ attempt ≤ budget)", () => {
    expect(() => awsCallConfig({ CACHEDECK_AWS_CALL_BUDGET_SECONDS: "soon" })).toThrow(/CACHEDECK_AWS_CALL_BUDGET_SECONDS must be a number of seconds/);
    expect(() => awsCallConfig({ CACHEDECK_AWS_MAX_ATTEMPTS: "0" })).toThrow(/CACHEDECK_AWS_MAX_ATTEMPTS must be at least 1/);
    expect(() => awsCallConfig({ CACHEDECK_AWS_MAX_ATTEMPTS: "2.5" })).toThrow(/whole number/);
    expect(() => awsCallConfig({ CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS: "30" })).toThrow(
      /CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS must not exceed CACHEDECK_AWS_CALL_BUDGET_SECONDS/,
    );
    expect(() => awsCallConfig({ CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS: "5", CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS: "4" })).toThrow(
      /CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS must not exceed CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS/,
    );
    expect(() => awsCallConfig({ CACHEDECK_AWS_CALL_BUDGET_SECONDS: "0" })).toThrow(EnvError);
  });
});
