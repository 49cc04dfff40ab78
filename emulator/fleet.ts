import fs from "node:fs";
import { z } from "zod";
import { accountDeclaration, DEFAULT_ACCOUNT, type Account } from "./accounts";
import { reservedNodeSchema } from "./elasticache/reserved-nodes";
import { generateFleet, generateSchema } from "./fleet-generator";
import { ApiError } from "./server/api-error";
import type { ServiceDefinition } from "./server/service";

// A fleet file describes the caches an emulator should have, per region, with the same parameter names as the
// ElastiCache API (what `aws elasticache create-replication-group --generate-cli-skeleton` prints), so anything the
// API accepts a fleet can say and the operations validate it with their usual messages. Each entry may carry a
// `workload` section, which the control plane ignores and the demo traffic generator reads, and a `history` section,
// the seeded metric history CloudWatch gives the cache (emulator/cloudwatch/seeded-history.ts).
// Scale mode (docs/emulator.md): `nodes: "simulated"` (for the whole file, or per entry) creates nodes without a
// process, and a `generate` section adds a large generated fleet (./fleet-generator.ts) to the listed entries.
// Several accounts: `accounts: [{ id, name, roles, regions, generate? }]` instead of the top-level `regions` (see
// ./accounts.ts); each account's part is loaded into that account's control plane.

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;
const nodeBacking = z.enum(["process", "simulated"]);

/** API parameters pass through to the operation, which validates them; only the identifier is checked here. */
const withId = (idKey: string) =>
  z.looseObject({ [idKey]: z.string().min(1), workload: z.unknown().optional(), history: z.unknown().optional(), nodes: nodeBacking.optional() });

const regionsSchema = z
  .record(
    z.string(),
    z.strictObject({
      /** Created before the caches, which may name them in CacheSubnetGroupName. */
      cacheSubnetGroups: z.array(withId("CacheSubnetGroupName")).default([]),
      replicationGroups: z.array(withId("ReplicationGroupId")).default([]),
      cacheClusters: z.array(withId("CacheClusterId")).default([]),
      serverlessCaches: z.array(withId("ServerlessCacheName")).default([]),
      /** What the account bought, as DescribeReservedCacheNodes reports it (./elasticache/reserved-nodes.ts). */
      reservedCacheNodes: z.array(reservedNodeSchema).default([]),
    }),
  )
  .superRefine((regions, ctx) => {
    for (const name of Object.keys(regions)) {
      if (!REGION.test(name)) ctx.addIssue({ code: "custom", path: [name], message: "region names look like us-east-1" });
    }
  })
  .default({});

const accountSchema = z.strictObject({ ...accountDeclaration, regions: regionsSchema, generate: generateSchema.optional() });

export const fleetSchema = z
  .strictObject({
    description: z.string().optional(),
    /** How the entries' nodes run unless an entry says otherwise: real processes (the default) or simulated. */
    nodes: nodeBacking.default("process"),
    /** Raises the cache-node quota per region (AWS's default, 300, is too small for a scale fleet). */
    nodeQuotaPerRegion: z.number().int().min(1).optional(),
    generate: generateSchema.optional(),
    regions: regionsSchema,
    /** Several accounts, the first the default one; their caches go in each account's own `regions`. */
    accounts: z.array(accountSchema).min(1).optional(),
  })
  .superRefine((fleet, ctx) => {
    if (!fleet.accounts) return;
    if (Object.keys(fleet.regions).length > 0 || fleet.generate) {
      ctx.addIssue({ code: "custom", path: ["regions"], message: "with accounts, put regions (and generate) inside each account" });
    }
    const seen = { id: new Set<string>(), name: new Set<string>() };
    fleet.accounts.forEach((account, index) => {
      for (const key of ["id", "name"] as const) {
        if (seen[key].has(account[key])) ctx.addIssue({ code: "custom", path: ["accounts", index, key], message: `account ${key} ${account[key]} is declared twice` });
        seen[key].add(account[key]);
      }
      const roles = account.roles.map((r) => r.name.toLowerCase());
      roles.forEach((role, r) => {
        if (roles.indexOf(role) !== r) ctx.addIssue({ code: "custom", path: ["accounts", index, "roles", r, "name"], message: `role ${account.roles[r].name} is declared twice (IAM role names ignore case)` });
      });
    });
  });
export type Fleet = z.infer<typeof fleetSchema>;

/** One account and its part of the fleet, shaped as a single-account fleet so every reader of a Fleet works on it. */
export interface AccountFleet {
  account: Account;
  fleet?: Fleet;
  /** Where the account's entries sit in the file, for messages: "" or "accounts[1]." */
  place: string;
}

/** The accounts a fleet declares (the default account alone when it declares none, or when there is no fleet). */
export function fleetAccounts(fleet: Fleet | undefined): AccountFleet[] {
  if (!fleet?.accounts) return [{ account: DEFAULT_ACCOUNT, fleet, place: "" }];
  return fleet.accounts.map(({ id, name, roles, regions, generate }, index) => ({
    account: { id, name, roles },
    fleet: { description: fleet.description, nodes: fleet.nodes, nodeQuotaPerRegion: fleet.nodeQuotaPerRegion, generate, regions },
    place: `accounts[${index}].`,
  }));
}

export class FleetError extends Error {}

export function readFleetFile(file: string): Fleet {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new FleetError(`fleet file ${file}: ${(error as Error).message}`);
  }
  const parsed = fleetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FleetError(`fleet file ${file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return parsed.data;
}

// `notFound`: the error code the Describe answers for a missing resource, as AWS's model names it. Not the HTTP
// status: a missing replication group, cluster or serverless cache is a 404, a missing subnet group a 400
// (CacheSubnetGroupNotFoundFault), like any other refusal.
const KINDS = [
  { list: "cacheSubnetGroups", idKey: "CacheSubnetGroupName", create: "CreateCacheSubnetGroup", exists: "DescribeCacheSubnetGroups", notFound: "CacheSubnetGroupNotFoundFault" },
  { list: "replicationGroups", idKey: "ReplicationGroupId", create: "CreateReplicationGroup", exists: "DescribeReplicationGroups", notFound: "ReplicationGroupNotFoundFault" },
  { list: "cacheClusters", idKey: "CacheClusterId", create: "CreateCacheCluster", exists: "DescribeCacheClusters", notFound: "CacheClusterNotFound" },
  { list: "serverlessCaches", idKey: "ServerlessCacheName", create: "CreateServerlessCache", exists: "DescribeServerlessCaches", notFound: "ServerlessCacheNotFoundFault" },
] as const;

/**
 * Creates what the fleet names through the service's own operations, skipping what already exists (a restarted
 * emulator keeps its fleet), so loading the same file twice is harmless. Returns how many resources were created.
 */
export async function loadFleet(fleet: Fleet, service: ServiceDefinition, source = "fleet", place = ""): Promise<number> {
  let created = 0;
  for (const [region, resources] of entriesByRegion(fleet)) {
    for (const kind of KINDS) {
      for (const [index, item] of (resources[kind.list] ?? []).entries()) {
        const params: Record<string, unknown> = { ...item };
        delete params.workload;
        delete params.history;
        delete params.nodes;
        const id = String(params[kind.idKey]);
        const simulatedNodes = (item.nodes ?? fleet.nodes) === "simulated";
        const ctx = { requestId: `fleet-${region}-${id}`, region, protocol: "query" as const, receivedAt: new Date(), simulatedNodes };
        try {
          if (await exists(service, kind, { [kind.idKey]: id }, ctx)) continue;
          await service.operations[kind.create](params, ctx);
          created++;
        } catch (error) {
          const why = error instanceof ApiError ? `${error.code}: ${error.message}` : (error as Error).message;
          throw new FleetError(`${source}: ${place}regions.${region}.${kind.list}[${index}] (${id}): ${why}`);
        }
      }
    }
  }
  return created;
}

type Entries = Partial<Record<(typeof KINDS)[number]["list"], Array<Record<string, unknown>>>>;

/** The listed entries, then the generated ones, region by region. */
function entriesByRegion(fleet: Fleet): Map<string, Entries> {
  const regions = new Map<string, Entries>(Object.entries(fleet.regions));
  if (fleet.generate) {
    for (const [region, generated] of generateFleet(fleet.generate)) {
      const listed = regions.get(region) ?? {};
      regions.set(region, {
        ...listed,
        replicationGroups: [...(listed.replicationGroups ?? []), ...generated.replicationGroups],
        cacheClusters: [...(listed.cacheClusters ?? []), ...generated.cacheClusters],
      });
    }
  }
  return regions;
}

async function exists(service: ServiceDefinition, kind: (typeof KINDS)[number], input: Record<string, unknown>, ctx: Parameters<ServiceDefinition["operations"][string]>[1]) {
  try {
    await service.operations[kind.exists](input, ctx);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.code === kind.notFound) return false;
    throw error;
  }
}
