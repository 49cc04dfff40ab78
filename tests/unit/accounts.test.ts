import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAccountsFile } from "@/lib/accounts-file";
import { accountsConfig, EnvError, parseEnv } from "@/lib/env";
import { parsePlaceSegment, placeLabel, placeSegment } from "@/lib/place";

const dir = mkdtempSync(join(tmpdir(), "cachedeck-accounts-"));
const demo = { CACHEDECK_DEMO: "1" };

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const staging = { name: "staging", roleArn: "arn:aws:iam::111111111111:role/CacheDeckAdmin", externalId: "cachedeck-7f3a9c", regions: ["us-east-1"] };
const payments = { name: "payments-prod", roleArn: "arn:aws:iam::222233334444:role/CacheDeckOperator", regions: ["eu-west-1", "us-east-1"] };

function problems(content: unknown): string[] {
  const parsed = parseAccountsFile(typeof content === "string" ? content : JSON.stringify(content), "accounts.json");
  return parsed.problems ?? [];
}

describe("the accounts file", () => {
  it("lists each account with its role, ExternalId, session name and regions; the first is the default", () => {
    const config = accountsConfig({ ...demo, CACHEDECK_ACCOUNTS_FILE: file("ok.json", { accounts: [staging, { ...payments, sessionName: "cachedeck-eu" }] }) });
    expect(config.fromFile).toBe(true);
    expect(config.defaultAccount).toBe("staging");
    expect(config.accounts).toEqual([
      expect.objectContaining({ name: "staging", roleArn: staging.roleArn, externalId: "cachedeck-7f3a9c", sessionName: "cachedeck", regions: ["us-east-1"], fisRoleArn: null }),
      expect.objectContaining({ name: "payments-prod", externalId: null, sessionName: "cachedeck-eu", regions: ["eu-west-1", "us-east-1"] }),
    ]);
  });

  it("without a file, shows the credential chain's own account in CACHEDECK_REGIONS", () => {
    const config = accountsConfig({ ...demo, CACHEDECK_REGIONS: "us-east-1,eu-west-1" });
    expect(config).toMatchObject({ fromFile: false, defaultAccount: "default", accounts: [{ name: "default", roleArn: null, regions: ["us-east-1", "eu-west-1"] }] });
  });

  it("stops start-up with the file's name and the reason when it cannot be read or parsed", () => {
    const missing = join(dir, "nope.json");
    expect(() => parseEnv({ ...demo, CACHEDECK_ACCOUNTS_FILE: missing })).toThrow(EnvError);
    expect(() => parseEnv({ ...demo, CACHEDECK_ACCOUNTS_FILE: missing })).toThrow(new RegExp(`${missing} cannot be read \\(no such file\\)`));
    expect(() => parseEnv({ ...demo, CACHEDECK_ACCOUNTS_FILE: file("bad.json", "{ accounts: [") })).toThrow(/is not valid JSON/);
  });

  it("names every problem and where it is: bad ARN, unknown region, duplicate names, reserved name, unknown keys", () => {
    const found = problems({
      accounts: [
        { ...staging, roleArn: "arn:aws:iam::1111:user/me" },
        { ...payments, regions: ["eu-west-1", "mars-north-1x"] },
        { ...staging, name: "payments-prod", externalId: "a" },
        { ...payments, name: "default" },
        { ...payments, name: "Prod Account" },
        { ...payments, name: "extra", region: "us-east-1" },
        { ...payments, name: "empty", regions: [] },
        { ...payments, name: "twice", regions: ["us-east-1", "us-east-1"] },
      ],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/accounts\[0\] \("staging"\)\.roleArn: must be an IAM role ARN/),
        expect.stringMatching(/accounts\[1\] \("payments-prod"\)\.regions\[1\]: is not an AWS region name/),
        expect.stringMatching(/accounts\[2\] \("payments-prod"\)\.name: "payments-prod" is used by two accounts/),
        expect.stringMatching(/accounts\[2\] \("payments-prod"\)\.externalId: must be 2 to 1224 characters/),
        expect.stringMatching(/accounts\[3\] \("default"\)\.name: "default" is reserved/),
        expect.stringMatching(/accounts\[4\] \("Prod Account"\)\.name: must be a short name/),
        expect.stringMatching(/accounts\[5\] \("extra"\).*region/),
        expect.stringMatching(/accounts\[6\] \("empty"\)\.regions: must list at least one region/),
        expect.stringMatching(/accounts\[7\] \("twice"\)\.regions: lists a region twice/),
      ]),
    );
    expect(found.every((p) => p.startsWith("CACHEDECK_ACCOUNTS_FILE accounts.json: "))).toBe(true);
    expect(problems({ accounts: [] })).toEqual([expect.stringMatching(/accounts: must list at least one account/)]);
  });

  it("reads people's roles per account, e-mails lower-cased", () => {
    const parsed = parseAccountsFile(JSON.stringify({ accounts: [{ ...staging, people: { admin: { emails: ["Pat@Example.com"], groups: ["sre"] } } }] }), "p.json");
    expect(parsed.value?.accounts[0].people).toEqual({ admin: { emails: ["pat@example.com"], groups: ["sre"] }, operator: { emails: [], groups: [] }, viewer: { emails: [], groups: [] } });
    expect(problems({ accounts: [{ ...staging, people: { owner: { emails: [] } } }] })).toEqual([expect.stringMatching(/people: Unrecognized key/)]);
  });
});

describe("the demo's accounts file", () => {
  it("is valid and assumes, in each account, a role the demo fleet declares there with the same ExternalId", () => {
    const root = join(__dirname, "../..");
    const config = accountsConfig({ ...demo, CACHEDECK_ACCOUNTS_FILE: join(root, "scripts/demo-accounts.json") });
    const fleet = JSON.parse(readFileSync(join(root, "emulator/fleets/demo.json"), "utf8")) as {
      accounts: { id: string; name: string; roles: { name: string; externalId?: string }[]; regions: Record<string, unknown> }[];
    };
    expect(config.accounts.map((a) => a.name)).toEqual(["production", "staging"]);
    for (const account of config.accounts) {
      const [, id, role] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(account.roleArn ?? "") ?? [];
      const declared = fleet.accounts.find((a) => a.id === id);
      expect(declared?.name, account.name).toBe(account.name);
      expect(declared?.roles.find((r) => r.name === role)?.externalId, account.name).toBe(account.externalId);
      expect(Object.keys(declared?.regions ?? {}).sort(), account.name).toEqual([...account.regions].sort());
    }
    // Sam Staging is an operator in staging only.
    expect(config.accounts.find((a) => a.name === "staging")?.people.operator.emails).toEqual(["staging-operator@demo.cachedeck.local"]);
    expect(config.accounts.find((a) => a.name === "production")?.people.operator.emails).toEqual([]);
    // Stella has no global role: a viewer in staging, nothing in production.
    expect(config.accounts.find((a) => a.name === "staging")?.people.viewer.emails).toEqual(["staging-only@demo.cachedeck.local"]);
    expect(config.accounts.find((a) => a.name === "production")?.people.viewer.emails).toEqual([]);
  });
});

describe("a place in a URL", () => {
  it("is the bare region for the chain's own account, account~region otherwise, and reads back", () => {
    expect(placeSegment({ account: "default", region: "us-east-1" })).toBe("us-east-1");
    expect(placeSegment({ account: "staging", region: "us-east-1" })).toBe("staging~us-east-1");
    expect(parsePlaceSegment("staging~us-east-1")).toEqual({ account: "staging", region: "us-east-1" });
    expect(parsePlaceSegment("us-east-1")).toEqual({ account: null, region: "us-east-1" });
    expect(encodeURIComponent(placeSegment({ account: "payments-prod", region: "eu-west-1" }))).toBe("payments-prod~eu-west-1");
    expect(placeLabel({ account: "staging", region: "us-east-1" })).toBe("us-east-1 (staging)");
  });
});
