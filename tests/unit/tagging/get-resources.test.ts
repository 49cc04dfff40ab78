import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID } from "@/emulator/accounts";
import { arnFor } from "@/emulator/elasticache/state/arns";
import { MetadataStore } from "@/emulator/elasticache/state/store";
import { ApiError } from "@/emulator/server/api-error";
import { getResources } from "@/emulator/tagging/get-resources";

// GetResources' paging rules on a store of tags alone (the SDK and boto3 tests run it against a whole emulator).

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-tagging-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const store = MetadataStore.open(dir);
const region = store.region("us-east-1");
for (let i = 0; i < 30; i++) {
  const tags = Array.from({ length: 1 + (i % 7) }, (_, k) => ({ Key: `k${k}`, Value: `v${i}` }));
  region.tags[arnFor(DEFAULT_ACCOUNT_ID, "us-east-1", "replicationgroup", `group-${String(i).padStart(2, "0")}`)] = tags;
}
let clock = 1_000_000;
const operation = getResources({ store, regionState: (r) => store.region(r) }, () => clock);
const ctx = { requestId: "r", region: "us-east-1", protocol: "json" as const, receivedAt: new Date() };
type Page = { PaginationToken: string; ResourceTagMappingList: Array<{ ResourceARN: string; Tags: unknown[] }> };
const call = async (input: Record<string, unknown>) => (await operation(input, ctx)) as Page;

describe("GetResources paging", () => {
  it("never splits a resource's tags across pages under TagsPerPage, and pages cover everything once", async () => {
    const seen: string[] = [];
    let token = "";
    do {
      const page = await call({ TagsPerPage: 100, ResourcesPerPage: 100, ...(token ? { PaginationToken: token } : {}) });
      expect(page.ResourceTagMappingList.reduce((n, r) => n + r.Tags.length, 0)).toBeLessThanOrEqual(100);
      seen.push(...page.ResourceTagMappingList.map((r) => r.ResourceARN));
      token = page.PaginationToken;
    } while (token);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect([...seen].sort()).toEqual(seen);
  });

  it("refuses a token after 15 minutes and a token from another request", async () => {
    const first = await call({ ResourcesPerPage: 10 });
    clock += 15 * 60_000 + 1;
    await expect(call({ ResourcesPerPage: 10, PaginationToken: first.PaginationToken })).rejects.toMatchObject({ code: "PaginationTokenExpiredException" });
    const fresh = await call({ ResourcesPerPage: 10 });
    await expect(call({ ResourcesPerPage: 10, PaginationToken: fresh.PaginationToken, TagFilters: [{ Key: "k0" }] })).rejects.toBeInstanceOf(ApiError);
    await expect(call({ ResourcesPerPage: 10, PaginationToken: "garbage" })).rejects.toMatchObject({ code: "InvalidParameterException" });
  });

  it("answers only the named ARNs that exist, and checks its parameter combinations", async () => {
    const named = [arnFor(DEFAULT_ACCOUNT_ID, "us-east-1", "replicationgroup", "group-03"), arnFor(DEFAULT_ACCOUNT_ID, "us-east-1", "replicationgroup", "gone")];
    expect((await call({ ResourceARNList: named })).ResourceTagMappingList.map((r) => r.ResourceARN)).toEqual([named[0]]);
    await expect(call({ ResourceARNList: named, ResourcesPerPage: 5 })).rejects.toMatchObject({ code: "InvalidParameterException" });
    await expect(call({ ExcludeCompliantResources: true })).rejects.toMatchObject({ code: "InvalidParameterException" });
    await expect(call({ TagsPerPage: 99 })).rejects.toMatchObject({ code: "InvalidParameterException" });
    expect((await call({ IncludeComplianceDetails: true, ResourcesPerPage: 1 })).ResourceTagMappingList[0]).toMatchObject({ ComplianceDetails: { ComplianceStatus: true } });
  });
});
