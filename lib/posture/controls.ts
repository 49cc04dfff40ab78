import type { Cache } from "@/lib/aws/model";
import { majorOf } from "./engine-lifecycle";

// AWS Security Hub's ElastiCache controls (ElastiCache.1–7) and the Well-Architected ElastiCache lens's resilience
// items, each judged from what the describes the watcher already makes report (no call of its own). A control is
// applied only to the kind of cache AWS applies it to; elsewhere it is "not applicable" with the reason.

export const controlIds = [
  "ElastiCache.1",
  "ElastiCache.2",
  "ElastiCache.3",
  "ElastiCache.4",
  "ElastiCache.5",
  "ElastiCache.6",
  "ElastiCache.7",
  "WA.multi-az",
  "WA.two-azs",
] as const;
export type ControlId = (typeof controlIds)[number];

/** Security Hub's severity for its controls; medium for the Well-Architected items. */
export type Severity = "high" | "medium";

export interface ControlDefinition {
  id: ControlId;
  title: string;
  severity: Severity;
  source: "AWS Security Hub" | "AWS Well-Architected";
  why: string;
  /** The console step and the CLI command, with <id> for the cache. */
  fix: { console: string; cli: string };
}

export type Outcome = "pass" | "fail" | "not-applicable" | "unknown";

export interface ControlResult {
  id: ControlId;
  outcome: Outcome;
  /** What CacheDeck saw, or why the control does not apply. */
  detail: string;
}

export const controls: Record<ControlId, ControlDefinition> = {
  "ElastiCache.1": {
    id: "ElastiCache.1",
    title: "Automatic backups on (retention of at least 1 day)",
    severity: "high",
    source: "AWS Security Hub",
    why: "Without automatic backups a lost or corrupted dataset cannot be restored to a recent point.",
    fix: {
      console: "ElastiCache console → the cache → Modify → Backup: enable automatic backups, retention 1–35 days.",
      cli: "aws elasticache modify-replication-group --replication-group-id <id> --snapshot-retention-limit 7 --apply-immediately (modify-cache-cluster --cache-cluster-id for a cluster)",
    },
  },
  "ElastiCache.2": {
    id: "ElastiCache.2",
    title: "Automatic minor version upgrades on",
    severity: "high",
    source: "AWS Security Hub",
    why: "Minor versions carry security fixes; with upgrades off, known vulnerabilities stay until someone upgrades by hand.",
    fix: {
      console: "ElastiCache console → the cache → Modify → Maintenance: enable auto upgrade minor versions.",
      cli: "aws elasticache modify-replication-group --replication-group-id <id> --auto-minor-version-upgrade --apply-immediately (modify-cache-cluster for a cluster)",
    },
  },
  "ElastiCache.3": {
    id: "ElastiCache.3",
    title: "Automatic failover on",
    severity: "medium",
    source: "AWS Security Hub",
    why: "Without it a failed primary stays down until someone promotes a replica; with it ElastiCache promotes one in seconds.",
    fix: {
      console: "ElastiCache console → the replication group → Modify: enable Auto-failover (needs at least one replica).",
      cli: "aws elasticache modify-replication-group --replication-group-id <id> --automatic-failover-enabled --apply-immediately",
    },
  },
  "ElastiCache.4": {
    id: "ElastiCache.4",
    title: "Encryption at rest on",
    severity: "medium",
    source: "AWS Security Hub",
    why: "Backups and swapped data on disk are readable by anyone who gets the storage, unless encrypted.",
    fix: {
      console: "At-rest encryption is chosen at creation: take a backup, create a new group from it with Encryption at rest on, move clients, delete the old group.",
      cli: "aws elasticache create-replication-group --replication-group-id <id>-enc --snapshot-name <backup> --at-rest-encryption-enabled ...",
    },
  },
  "ElastiCache.5": {
    id: "ElastiCache.5",
    title: "Encryption in transit on",
    severity: "medium",
    source: "AWS Security Hub",
    why: "Without TLS, data and AUTH tokens cross the network in plain text.",
    fix: {
      console: "ElastiCache console → the replication group → Modify: Encryption in transit on, mode Preferred; move clients to TLS; then mode Required.",
      cli: "aws elasticache modify-replication-group --replication-group-id <id> --transit-encryption-enabled --transit-encryption-mode preferred --apply-immediately (then --transit-encryption-mode required)",
    },
  },
  "ElastiCache.6": {
    id: "ElastiCache.6",
    title: "Redis OSS before 6 uses AUTH",
    severity: "medium",
    source: "AWS Security Hub",
    why: "Redis OSS before 6 has no users: without an AUTH token anyone who reaches the port can read and write everything.",
    fix: {
      console: "ElastiCache console → the replication group → Modify: set an AUTH token (needs encryption in transit); better, upgrade to Valkey or Redis OSS 7 and use RBAC.",
      cli: "aws elasticache modify-replication-group --replication-group-id <id> --auth-token <token> --auth-token-update-strategy ROTATE --apply-immediately",
    },
  },
  "ElastiCache.7": {
    id: "ElastiCache.7",
    title: "Not in the default subnet group",
    severity: "high",
    source: "AWS Security Hub",
    why: "The default subnet group places the cache in the default VPC's subnets, shared with everything else launched there.",
    fix: {
      console: "Create a subnet group of your VPC's private subnets, then create the cache in it from a backup (a cache's subnet group cannot change).",
      cli: "aws elasticache create-cache-subnet-group --cache-subnet-group-name <name> --cache-subnet-group-description ... --subnet-ids subnet-...",
    },
  },
  "WA.multi-az": {
    id: "WA.multi-az",
    title: "Multi-AZ on",
    severity: "medium",
    source: "AWS Well-Architected",
    why: "With Multi-AZ, ElastiCache replaces a failed primary with a replica in another AZ, so one AZ's outage does not take the cache down.",
    fix: {
      console: "ElastiCache console → the replication group → Modify: enable Multi-AZ (needs automatic failover and a replica).",
      cli: "aws elasticache modify-replication-group --replication-group-id <id> --multi-az-enabled --automatic-failover-enabled --apply-immediately",
    },
  },
  "WA.two-azs": {
    id: "WA.two-azs",
    title: "Nodes in at least two AZs",
    severity: "medium",
    source: "AWS Well-Architected",
    why: "Replicas (or Memcached nodes) all in one AZ are lost together with it.",
    fix: {
      console: "Add a replica (or node) in another AZ, then remove one from the crowded AZ.",
      cli: "aws elasticache increase-replica-count --replication-group-id <id> --new-replica-count <n> --apply-immediately --replica-configuration ... PreferredAvailabilityZones=...",
    },
  },
};

const groupsOnly = "Security Hub checks this on replication groups; this cache is not one.";
const serverlessText = "A serverless cache is encrypted at rest and in transit and spread across AZs by AWS; Security Hub's ElastiCache controls check node-based caches.";

function result(id: ControlId, outcome: Outcome, detail: string): ControlResult {
  return { id, outcome, detail };
}

const check = (id: ControlId, passes: boolean | null, good: string, bad: string, unread = "Not reported by AWS") =>
  result(id, passes === null ? "unknown" : passes ? "pass" : "fail", passes === null ? unread : passes ? good : bad);

/** Whether every shard (or a Memcached cluster's nodes) spans at least two AZs; null when a zone was not read. */
function spansTwoZones(cache: Cache): boolean | null {
  if (cache.nodes.length === 0 || cache.nodes.some((n) => n.zone === null)) return null;
  const byShard = new Map<string, Set<string>>();
  for (const n of cache.nodes) byShard.set(n.shardId ?? "", (byShard.get(n.shardId ?? "") ?? new Set()).add(n.zone!));
  return [...byShard.values()].every((zones) => zones.size >= 2);
}

/** Each control's outcome for one cache (a replication group with its members joined, a cluster, a serverless cache). */
export function evaluateControls(cache: Cache): ControlResult[] {
  if (cache.kind === "serverless") return controlIds.map((id) => result(id, "not-applicable", serverlessText));
  const group = cache.kind === "replication-group";
  const memcached = cache.engine === "memcached";
  const s = cache.settings;
  const major = majorOf(cache.engineVersion);
  const subnets = s.subnetGroups;
  return [
    memcached
      ? result("ElastiCache.1", "not-applicable", "Memcached keeps no backups.")
      : check("ElastiCache.1", s.snapshotRetentionLimit === null ? null : s.snapshotRetentionLimit >= 1, `Backups kept ${s.snapshotRetentionLimit} days`, "Automatic backups off (retention 0 days)"),
    check("ElastiCache.2", s.autoMinorVersionUpgrade, "Minor versions upgraded automatically", "Automatic minor version upgrades off"),
    group
      ? check("ElastiCache.3", cache.automaticFailover === null ? null : cache.automaticFailover === "enabled", "Automatic failover enabled", `Automatic failover ${cache.automaticFailover}`)
      : result("ElastiCache.3", "not-applicable", groupsOnly),
    group ? check("ElastiCache.4", s.atRestEncryption, "Encrypted at rest", "Not encrypted at rest") : result("ElastiCache.4", "not-applicable", groupsOnly),
    group ? check("ElastiCache.5", cache.transitEncryption, "Encrypted in transit (TLS)", "Not encrypted in transit") : result("ElastiCache.5", "not-applicable", groupsOnly),
    !group
      ? result("ElastiCache.6", "not-applicable", groupsOnly)
      : cache.engine !== "redis" || (major !== null && major >= 6)
        ? result("ElastiCache.6", "not-applicable", "Applies to Redis OSS before 6 only.")
        : check("ElastiCache.6", major === null ? null : cache.authToken, "AUTH token required", "No AUTH token: anyone who reaches the port has full access", "Engine version not read"),
    check("ElastiCache.7", subnets.length ? !subnets.includes("default") : null, `Subnet group ${subnets.join(", ")}`, "In the default subnet group", "Subnet group not read"),
    memcached
      ? result("WA.multi-az", "not-applicable", "Memcached does not replicate; spread its nodes over AZs instead.")
      : group
        ? check("WA.multi-az", cache.multiAz ?? false, "Multi-AZ enabled", "Multi-AZ off")
        : result("WA.multi-az", "fail", "A single-node cluster has no replica to fail over to: use a replication group with Multi-AZ."),
    check("WA.two-azs", spansTwoZones(cache), "Nodes spread over at least two AZs", "All nodes of a shard in one AZ", "Node zones not read"),
  ];
}

/** The failed controls, worst first: what the fleet's badge counts. */
export function findingsOf(results: readonly ControlResult[]): { id: ControlId; severity: Severity }[] {
  return results
    .filter((r) => r.outcome === "fail")
    .map((r) => ({ id: r.id, severity: controls[r.id].severity }))
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "high" ? -1 : 1));
}
