import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT } from "@/emulator/accounts";
import { fleetAccounts, FleetError, readFleetFile } from "@/emulator/fleet";
import { SESSIONS_FILE, StsSessions } from "@/emulator/sts/sessions";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-accounts-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fleetFile(content: unknown): string {
  const file = path.join(dir, `fleet-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

const account = (id: string, name: string, extra: object = {}) => ({ id, name, regions: { "us-east-1": { cacheClusters: [{ CacheClusterId: `${name}-c` }] } }, ...extra });

describe("fleet files with accounts", () => {
  it("keep a file without accounts as the default account's, and split one with accounts per account", () => {
    const single = readFleetFile(fleetFile({ regions: { "eu-west-1": { cacheClusters: [{ CacheClusterId: "c" }] } } }));
    expect(fleetAccounts(single)).toEqual([{ account: DEFAULT_ACCOUNT, fleet: single, place: "" }]);
    expect(fleetAccounts(undefined)).toEqual([{ account: DEFAULT_ACCOUNT, fleet: undefined, place: "" }]);

    const multi = readFleetFile(
      fleetFile({
        nodes: "simulated",
        nodeQuotaPerRegion: 900,
        accounts: [
          account("123456789012", "prod", { roles: [{ name: "Reader", externalId: "xid" }] }),
          account("210987654321", "dev", { generate: { seed: 3, regions: ["us-east-1"], replicationGroups: 10 } }),
        ],
      }),
    );
    const [prod, dev] = fleetAccounts(multi);
    expect(prod.account).toEqual({ id: "123456789012", name: "prod", roles: [{ name: "Reader", externalId: "xid", maxSessionDuration: 3600 }] });
    expect(prod.fleet!.nodes).toBe("simulated");
    expect(Object.keys(prod.fleet!.regions)).toEqual(["us-east-1"]);
    expect(dev.fleet!.regions["us-east-1"].cacheClusters.map((c) => c.CacheClusterId)).toEqual(["dev-c"]);
    expect(dev.place).toBe("accounts[1].");
    // Scale mode per account: its own generated caches, the file's node backing and quota.
    expect([prod.fleet!.generate, dev.fleet!.generate?.replicationGroups, dev.fleet!.nodeQuotaPerRegion]).toEqual([undefined, 10, 900]);
  });

  it("refuse what cannot be meant, saying where", () => {
    const refused = (content: unknown) => {
      try {
        readFleetFile(fleetFile(content));
      } catch (error) {
        expect(error).toBeInstanceOf(FleetError);
        return (error as Error).message.replace(/^fleet file \S+: /, "");
      }
      throw new Error("accepted");
    };
    expect(refused({ accounts: [account("12345", "prod")] })).toBe("accounts.0.id: an account id is 12 digits");
    expect(refused({ accounts: [account("123456789012", "prod"), account("123456789012", "dev")] })).toBe("accounts.1.id: account id 123456789012 is declared twice");
    expect(refused({ accounts: [account("123456789012", "prod"), account("210987654321", "prod")] })).toBe("accounts.1.name: account name prod is declared twice");
    expect(refused({ accounts: [account("123456789012", "prod", { roles: [{ name: "Reader" }, { name: "reader" }] })] })).toBe(
      "accounts.0.roles.1.name: role reader is declared twice (IAM role names ignore case)",
    );
    expect(refused({ accounts: [account("123456789012", "prod", { roles: [{ name: "R", maxSessionDuration: 50_000 }] })] })).toMatch(/^accounts\.0\.roles\.0\.maxSessionDuration: /);
    expect(refused({ accounts: [account("123456789012", "prod")], regions: { "us-east-1": {} } })).toBe("regions: with accounts, put regions (and generate) inside each account");
    expect(refused({ accounts: [] })).toMatch(/^accounts: /);
  });
});

describe("STS sessions", () => {
  const accounts = [DEFAULT_ACCOUNT, { id: "111111111111", name: "staging", roles: [{ name: "Reader", maxSessionDuration: 3600 }] }];
  const signed = (accessKeyId: string, token?: string) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261203/us-east-1/elasticache/aws4_request, SignedHeaders=host, Signature=00`,
    ...(token ? { "x-amz-security-token": token } : {}),
  });

  it("survive a restart: a reopened store still maps the session key to its account, until it expires", () => {
    let now = new Date("2026-12-03T12:00:00.400Z");
    const first = StsSessions.open(dir, accounts, () => now);
    const issued = first.issue(accounts[1], accounts[1].roles[0], "me", 900);
    expect(issued.expiration.toISOString()).toBe("2026-12-03T12:15:00.000Z");

    const reopened = StsSessions.open(dir, accounts, () => now);
    expect(reopened.identify(signed(issued.accessKeyId, issued.sessionToken))).toMatchObject({
      account: "111111111111",
      arn: "arn:aws:sts::111111111111:assumed-role/Reader/me",
      session: { roleName: "Reader", sessionName: "me" },
    });
    expect(() => reopened.identify(signed(issued.accessKeyId))).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
    expect(reopened.identify(signed("AKIDEXAMPLE"))).toEqual({ account: "000000000000", arn: "arn:aws:iam::000000000000:root", userId: "000000000000" });
    expect(reopened.identify({})).toMatchObject({ account: "000000000000" });
    now = new Date("2026-12-03T12:15:00.000Z");
    expect(() => reopened.identify(signed(issued.accessKeyId, issued.sessionToken))).toThrow(expect.objectContaining({ code: "ExpiredToken", status: 403 }));

    // A session of an account the fleet no longer declares is not honoured.
    now = new Date("2026-12-03T12:01:00.000Z");
    const withoutStaging = StsSessions.open(dir, [DEFAULT_ACCOUNT], () => now);
    expect(() => withoutStaging.identify(signed(issued.accessKeyId, issued.sessionToken))).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
  });

  it("forget a damaged sessions file instead of refusing to start", () => {
    const damaged = fs.mkdtempSync(path.join(dir, "damaged-"));
    fs.writeFileSync(path.join(damaged, SESSIONS_FILE), "{not json");
    const logged: string[] = [];
    const sessions = StsSessions.open(damaged, accounts, () => new Date(), (m) => logged.push(m));
    expect(logged).toEqual([expect.stringContaining("its STS sessions are forgotten")]);
    expect(() => sessions.identify(signed("ASIAAAAAAAAAAAAAAAAA", "t"))).toThrow(expect.objectContaining({ code: "InvalidClientTokenId" }));
  });
});
