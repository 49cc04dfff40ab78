import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ElastiCacheControlPlane } from "@/emulator/elasticache/control-plane";
import { FAULTS } from "@/emulator/elasticache/api/errors";
import type { RegionState } from "@/emulator/elasticache/state/model";
import { elasticacheService } from "@/emulator/elasticache/service";
import { XML_LIST_ITEM_NAMES } from "@/emulator/elasticache/api/xml-list-item-names";
import type { ServiceDefinition } from "@/emulator/server/service";
import { loadBotocoreModel, type ServiceModel } from "@/tests/helpers/botocore-model";

// The emulator against botocore's ElastiCache model: error codes and statuses, list item element names, and the
// member names and types of what the operations return. Skipped (with the reason) where botocore is not installed.
const model = loadBotocoreModel("elasticache", "2015-02-02");
const suite = model ? describe : describe.skip;
if (!model) console.warn("model-conformance: python3 with botocore not found, skipping the ElastiCache model checks");

const now = "2026-01-02T03:04:05.000Z";
const node = (id: string, port: number, zone: string, role?: "primary" | "replica") => ({
  cacheNodeId: id,
  status: "available",
  createTime: now,
  availabilityZone: zone,
  port,
  role,
});
const cluster = (id: string, engine: "redis" | "memcached", nodes: ReturnType<typeof node>[], rg?: string, ng?: string) => ({
  cacheClusterId: id,
  engine,
  engineVersion: engine === "redis" ? "7.1" : "1.6.22",
  cacheNodeType: "cache.t4g.micro",
  status: "available",
  createTime: now,
  replicationGroupId: rg,
  nodeGroupId: ng,
  azMode: "single-az" as const,
  cacheParameterGroupName: "default.redis7",
  nodes,
  pendingModifiedValues: rg ? { CacheNodeType: "cache.r7g.large" } : {},
});

function seed(state: RegionState) {
  const rg = (id: string, clusterEnabled: boolean, members: string[]) => ({
    replicationGroupId: id,
    description: "d",
    status: "available",
    engine: "redis" as const,
    engineVersion: "7.1",
    cacheNodeType: "cache.t4g.micro",
    clusterEnabled,
    clusterMode: clusterEnabled ? ("enabled" as const) : ("disabled" as const),
    automaticFailover: "enabled" as const,
    multiAZ: "enabled" as const,
    createTime: now,
    cacheParameterGroupName: "default.redis7",
    nodeGroups: [{ nodeGroupId: "0001", status: "available", slots: clusterEnabled ? "0-16383" : undefined, memberClusterIds: members }],
    pendingModifiedValues: { PrimaryClusterId: members[0] },
  });
  state.replicationGroups.orders = rg("orders", false, ["orders-001", "orders-002"]);
  state.replicationGroups.catalog = rg("catalog", true, ["catalog-0001-001", "catalog-0001-002"]);
  state.cacheClusters["orders-001"] = cluster("orders-001", "redis", [node("0001", 7001, "us-east-1a", "primary")], "orders", "0001");
  state.cacheClusters["orders-002"] = cluster("orders-002", "redis", [node("0001", 7002, "us-east-1b", "replica")], "orders", "0001");
  state.cacheClusters["catalog-0001-001"] = cluster("catalog-0001-001", "redis", [node("0001", 7003, "us-east-1a", "primary")], "catalog", "0001");
  state.cacheClusters["catalog-0001-002"] = cluster("catalog-0001-002", "redis", [node("0001", 7004, "us-east-1b", "replica")], "catalog", "0001");
  state.cacheClusters.pricing = cluster("pricing", "memcached", [node("0001", 7005, "us-east-1a"), node("0002", 7006, "us-east-1b")]);
  state.serverlessCaches.profiles = {
    serverlessCacheName: "profiles",
    description: "p",
    engine: "valkey",
    majorEngineVersion: "8",
    fullEngineVersion: "8.0",
    status: "AVAILABLE",
    createTime: now,
    cacheUsageLimits: { DataStorage: { Maximum: 10, Unit: "GB" } },
    maxmemoryBytes: 1,
    port: 7007,
    securityGroupIds: ["sg-1"],
    subnetIds: ["subnet-1"],
  };
  state.tags["arn:aws:elasticache:us-east-1:000000000000:replicationgroup:orders"] = [{ Key: "team", Value: "checkout" }];
  state.events.push({ seq: 1, sourceIdentifier: "orders", sourceType: "replication-group", message: "m", date: new Date().toISOString() });
  state.nextEventSeq = 2;
}

/** Problems with `value` as an instance of model shape `shapeName`: unknown members, wrong types. */
function conformance(m: ServiceModel, value: unknown, shapeName: string, at: string, problems: string[]): void {
  const shape = m.shapes[shapeName];
  switch (shape.type) {
    case "structure":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push(`${at}: expected a structure`);
      for (const [name, member] of Object.entries(value)) {
        if (member === undefined) continue;
        const spec = shape.members?.[name];
        if (!spec) problems.push(`${at}.${name}: not a member of ${shapeName}`);
        else conformance(m, member, spec.shape, `${at}.${name}`, problems);
      }
      return;
    case "list":
      if (!Array.isArray(value)) return void problems.push(`${at}: expected a list`);
      return value.forEach((item, i) => conformance(m, item, shape.member!.shape, `${at}[${i}]`, problems));
    case "timestamp":
      if (!(value instanceof Date)) problems.push(`${at}: expected a Date`);
      return;
    case "integer":
    case "long":
      if (!Number.isInteger(value)) problems.push(`${at}: expected an integer`);
      return;
    case "boolean":
      if (typeof value !== "boolean") problems.push(`${at}: expected a boolean`);
      return;
    case "string":
      if (typeof value !== "string") problems.push(`${at}: expected a string`);
      return;
  }
}

suite("ElastiCache emulator against botocore's model", () => {
  const m = model!;
  let dataDir: string;
  let service: ServiceDefinition;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-model-"));
    const cp = new ElastiCacheControlPlane({ dataDir });
    seed(cp.regionState("us-east-1"));
    service = elasticacheService(cp);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("serves only operations the model has", () => {
    expect(Object.keys(service.operations).filter((op) => !m.operations[op])).toEqual([]);
  });

  it("uses the model's error code and HTTP status for every fault", () => {
    const wrong = Object.entries(FAULTS).filter(([shape, [code, status]]) => {
      const declared = m.shapes[shape]?.error;
      return declared?.code !== code || declared.httpStatusCode !== status;
    });
    expect(wrong).toEqual([]);
  });

  it("names list items as the model does in every output of every served operation", () => {
    const mismatches: string[] = [];
    const seen = new Set<string>();
    const walk = (shapeName: string) => {
      if (seen.has(shapeName)) return;
      seen.add(shapeName);
      for (const [name, member] of Object.entries(m.shapes[shapeName].members ?? {})) {
        const target = m.shapes[member.shape];
        if (target.type === "list") {
          const expected = target.member!.locationName ?? "member";
          const actual = XML_LIST_ITEM_NAMES[name] ?? "member";
          // The one list the table cannot name per member; the emulator always renders it empty.
          const knownEmpty = shapeName.endsWith("PendingModifiedValues") && name === "LogDeliveryConfigurations";
          if (expected !== actual && !knownEmpty) mismatches.push(`${shapeName}.${name}: model ${expected}, table ${actual}`);
          walk(target.member!.shape);
        } else if (target.type === "structure") walk(member.shape);
      }
    };
    for (const op of Object.keys(service.operations)) {
      const output = m.operations[op]?.output;
      if (output) walk(output.shape);
    }
    expect(mismatches).toEqual([]);
  });

  it("returns only the model's members, with the model's types", async () => {
    const ctx = { requestId: "r", region: "us-east-1", protocol: "query" as const, receivedAt: new Date() };
    const calls: Array<[string, Record<string, unknown>]> = [
      ["DescribeReplicationGroups", {}],
      ["DescribeCacheClusters", { ShowCacheNodeInfo: "true" }],
      ["DescribeServerlessCaches", {}],
      ["DescribeEvents", {}],
      ["DescribeCacheEngineVersions", {}],
      ["ListAllowedNodeTypeModifications", { ReplicationGroupId: "orders" }],
      ["ListTagsForResource", { ResourceName: "arn:aws:elasticache:us-east-1:000000000000:replicationgroup:orders" }],
    ];
    const problems: string[] = [];
    for (const [op, input] of calls) {
      const output = await service.operations[op](input, ctx);
      expect(output, op).toBeTruthy();
      conformance(m, output, m.operations[op].output!.shape, op, problems);
    }
    expect(problems).toEqual([]);
  });
});
