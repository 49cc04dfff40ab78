import type { Drill, DrillKind } from "@/lib/drills/model";
import { formatInstant, plural } from "@/lib/drills/format";
import { formatSeconds } from "@/lib/duration";

// The pre-flight checklist as pure rules over facts gathered live (lib/drills/preflight.ts). Each item says what was
// found and why it matters; any failed item blocks the drill. Kept free of I/O so every rule is unit-tested.

export type CheckStatus = "pass" | "fail" | "warn" | "info";

export interface CheckItem {
  id: string;
  label: string;
  status: CheckStatus;
  /** What CacheDeck found, naming the nodes and figures. */
  detail: string;
  /** Why the check exists, for the person deciding whether to go ahead. */
  why: string;
}

export type MemberRole = "primary" | "replica" | "unknown";

export interface MemberFacts {
  cacheClusterId: string;
  availabilityZone: string | null;
  role: MemberRole;
  /** The member cache cluster's status (available, modifying, …); null when it could not be read. */
  status: string | null;
  /** Worst ReplicationLag of the last minutes, seconds; null without data points (primaries publish none). */
  lagSeconds: number | null;
}

export interface ShardFacts {
  id: string;
  status: string | null;
  members: MemberFacts[];
}

export interface GroupFacts {
  status: string;
  /** Names of PendingModifiedValues and other changes under way (resharding, node type). */
  pendingChanges: string[];
  automaticFailover: string | null;
  multiAZ: string | null;
  clusterMode: boolean;
  shards: ShardFacts[];
}

export interface PreflightFacts {
  kind: DrillKind;
  replicationGroupId: string;
  group: GroupFacts;
  /** The shards the person chose (test failover); ignored for an AZ drill, whose shards follow from the AZ. */
  requestedShards: string[];
  availabilityZone: string | null;
  maxLagSeconds: number;
  quota: { limit: number; usedByOurRecords: number; usedByEvents: number | null };
  runningDrill: Drill | null;
  lastDrill: Drill | null;
  /** The role AWS FIS assumes for the experiment (AZ drills); `demo` when it is the emulator's default. */
  fisRole: { arn: string; demo: boolean };
  /** How long the AZ drill keeps the power off. */
  durationSeconds: number | null;
  /** The organization's experiment template for the region (CACHEDECK_FIS_TEMPLATE_IDS), as FIS describes it. */
  fisTemplate: TemplateFacts | null;
  probe: { requested: boolean; problem: string | null };
}

export interface TemplateFacts {
  id: string;
  /** False when FIS has no template by that id in the region. */
  found: boolean;
  /** The template's action ids, and whether they are the AZ power action alone. */
  actionIds: string[];
  azPowerOnly: boolean;
  availabilityZone: string | null;
  durationSeconds: number | null;
  /** The replication groups its target resolves to (by ARN or by tags); null when the action has no target. */
  targetGroups: string[] | null;
}

export interface Checklist {
  items: CheckItem[];
  /** False when any item failed. */
  ready: boolean;
  /** The shards the drill works on, in order (an AZ drill: every shard with a node in the zone). */
  shards: string[];
}

export function primaryOf(shard: ShardFacts): MemberFacts | undefined {
  return shard.members.find((m) => m.role === "primary");
}

/** Shards whose primary sits in the AZ: the ones an AZ power interruption fails over. */
export function shardsWithPrimaryIn(group: GroupFacts, az: string): string[] {
  return group.shards.filter((s) => primaryOf(s)?.availabilityZone === az).map((s) => s.id);
}

/** Shards with any node in the AZ: the ones an AZ power interruption touches (and that must recover after it). */
export function shardsWithNodesIn(group: GroupFacts, az: string): string[] {
  return group.shards.filter((s) => s.members.some((m) => m.availabilityZone === az)).map((s) => s.id);
}

function describeMember(m: MemberFacts): string {
  const zone = m.availabilityZone ? ` (${m.availabilityZone})` : "";
  const lag = m.lagSeconds === null ? "no lag data" : `lag ${formatSeconds(m.lagSeconds)}`;
  return `${m.cacheClusterId}${zone}: ${m.status ?? "status unknown"}, ${lag}`;
}

function groupAvailable(f: PreflightFacts): CheckItem {
  const { status, pendingChanges } = f.group;
  const ok = status === "available" && pendingChanges.length === 0;
  return {
    id: "group-available",
    label: "Group available, no change under way",
    status: ok ? "pass" : "fail",
    detail: ok
      ? `${f.replicationGroupId} is available with no pending change.`
      : status !== "available"
        ? `${f.replicationGroupId} is ${status}. Wait until it is available.`
        : `${f.replicationGroupId} has changes under way (${pendingChanges.join(", ")}). Wait until they finish.`,
    why: "ElastiCache refuses a test failover unless the group is available, and a failover in the middle of a change would blur what the drill measures.",
  };
}

/** A group setting that must be on: automatic failover, Multi-AZ. */
function settingOn(id: string, label: string, value: string | null, why: string): CheckItem {
  const ok = value === "enabled";
  return {
    id,
    label: `${label} on`,
    status: ok ? "pass" : "fail",
    detail: ok ? `${label} is enabled.` : `${label} is ${value ?? "disabled"}. Enable it on the group first.`,
    why,
  };
}

/** The shards the drill works on, and among them those whose primary must fail over. */
function chosenShards(f: PreflightFacts): { item: CheckItem; shards: string[]; failovers: string[] } {
  const known = f.group.shards.map((s) => s.id);
  const why = "A drill needs at least one shard to fail over, and only shards of this group can be chosen.";
  if (f.kind === "az-power-interruption") {
    const az = f.availabilityZone ?? "";
    const zones = new Set(f.group.shards.flatMap((s) => s.members.map((m) => m.availabilityZone)));
    const failovers = shardsWithPrimaryIn(f.group, az);
    const hosts = zones.has(az);
    return {
      shards: shardsWithNodesIn(f.group, az),
      failovers,
      item: {
        id: "shards",
        label: "Nodes in the chosen Availability Zone",
        status: !hosts ? "fail" : failovers.length > 0 ? "pass" : "warn",
        detail: !hosts
          ? `${f.replicationGroupId} has no node in ${az || "the chosen zone"}; it has nodes in ${[...zones].filter(Boolean).sort().join(", ")}.`
          : failovers.length > 0
            ? `Primaries in ${az}: shard${failovers.length === 1 ? "" : "s"} ${failovers.join(", ")} will fail over.`
            : `${az} holds only replicas of ${f.replicationGroupId}: no primary should change, the replicas there recover after the interruption.`,
        why,
      },
    };
  }
  const unknown = f.requestedShards.filter((id) => !known.includes(id));
  const duplicates = f.requestedShards.filter((id, i) => f.requestedShards.indexOf(id) !== i);
  const ok = f.requestedShards.length > 0 && unknown.length === 0 && duplicates.length === 0;
  return {
    shards: ok ? f.requestedShards : [],
    failovers: ok ? f.requestedShards : [],
    item: {
      id: "shards",
      label: "Shards to fail over",
      status: ok ? "pass" : "fail",
      detail: ok
        ? `Shard${f.requestedShards.length === 1 ? "" : "s"} ${f.requestedShards.join(", ")}, one at a time in this order.`
        : f.requestedShards.length === 0
          ? `Choose at least one shard of ${f.replicationGroupId} (${known.join(", ")}).`
          : unknown.length > 0
            ? `${f.replicationGroupId} has no shard ${unknown.join(", ")}; it has ${known.join(", ")}.`
            : `Shard ${duplicates.join(", ")} is chosen twice.`,
      why,
    },
  };
}

/** A replica that can take over: available, and caught up as far as CloudWatch can tell. */
function replicaCheck(f: PreflightFacts, shard: ShardFacts, outsideAz: string | null): CheckItem {
  const primary = primaryOf(shard);
  const replicas = shard.members.filter((m) => m !== primary && m.role !== "primary");
  const candidates = replicas.filter((m) => outsideAz === null || m.availabilityZone !== outsideAz);
  const available = candidates.filter((m) => m.status === "available");
  const caughtUp = available.filter((m) => m.lagSeconds !== null && m.lagSeconds <= f.maxLagSeconds);
  const unmeasured = available.filter((m) => m.lagSeconds === null);
  const where = outsideAz ? ` outside ${outsideAz}` : "";
  const listing = replicas.map(describeMember).join("; ");
  let status: CheckStatus;
  let detail: string;
  if (replicas.length === 0) {
    status = "fail";
    detail = `Shard ${shard.id} has no replica. Add one before drilling it.`;
  } else if (candidates.length === 0) {
    status = "fail";
    detail = `Every replica of shard ${shard.id} is in ${outsideAz}, where the power goes out: nothing could take over (${listing}).`;
  } else if (caughtUp.length > 0) {
    status = "pass";
    detail = `${plural(caughtUp.length, "replica")}${where} available with lag at most ${f.maxLagSeconds} s (${listing}).`;
  } else if (unmeasured.length > 0) {
    status = "warn";
    detail = `${plural(unmeasured.length, "replica")}${where} available, but CloudWatch has no ReplicationLag data for the last minutes, so the lag is unknown (${listing}).`;
  } else if (available.length > 0) {
    status = "fail";
    detail = `Every available replica${where} lags more than ${f.maxLagSeconds} s (${listing}). Wait for replication to catch up.`;
  } else {
    status = "fail";
    detail = `No replica${where} of shard ${shard.id} is available (${listing}).`;
  }
  return {
    id: `replica-${shard.id}`,
    label: `Shard ${shard.id}: a healthy replica to promote`,
    status,
    detail,
    why: "The promoted replica serves the shard's writes afterwards; a lagging one would lose the writes it has not received.",
  };
}

function quota(f: PreflightFacts, shards: string[]): CheckItem {
  const why = "ElastiCache accepts test failovers on a limited number of shards per rolling 24 hours; a drill that runs out halfway leaves shards untested.";
  if (f.kind === "az-power-interruption") {
    return {
      id: "quota",
      label: "Test failover quota",
      status: "info",
      detail: "An AZ power interruption does not call TestFailover, so it does not count against the daily quota.",
      why,
    };
  }
  const { limit, usedByOurRecords, usedByEvents } = f.quota;
  const used = Math.max(usedByOurRecords, usedByEvents ?? 0);
  const left = Math.max(0, limit - used);
  const sources = `${plural(usedByOurRecords, "test failover")} in CacheDeck's records${usedByEvents === null ? "" : `, ${usedByEvents} in ElastiCache's events`}`;
  return {
    id: "quota",
    label: "Test failover quota left (rolling 24 h)",
    status: left >= shards.length ? "pass" : "fail",
    detail:
      left >= shards.length
        ? `${left} of ${limit} left in this region for the last 24 hours (${sources}); this drill uses ${shards.length}.`
        : `Only ${left} of ${limit} left in this region for the last 24 hours (${sources}); this drill needs ${shards.length}. Drill fewer shards or wait.`,
    why,
  };
}

function noRunningDrill(f: PreflightFacts): CheckItem {
  const running = f.runningDrill;
  return {
    id: "no-running-drill",
    label: "No other drill running on the group",
    status: running ? "fail" : "pass",
    detail: running
      ? `Drill #${running.id}, started by ${running.actor.name} at ${formatInstant(running.requestedAt)}, is still running. Wait for it or abort it.`
      : "No drill is running on this group.",
    why: "Two drills on one group would fight over the same shards and measure each other.",
  };
}

function lastDrill(f: PreflightFacts): CheckItem {
  const last = f.lastDrill;
  return {
    id: "last-drill",
    label: "Last drill",
    status: "info",
    detail: last
      ? `Drill #${last.id} on ${formatInstant(last.requestedAt)} by ${last.actor.name}: ${last.status}${last.verdict ? `, verdict ${last.verdict}` : ""}.`
      : `No drill of ${f.replicationGroupId} on record.`,
    why: "What the last rehearsal showed is the baseline this one is compared with.",
  };
}

function fisRole(f: PreflightFacts): CheckItem {
  return {
    id: "fis-role",
    label: "Fault Injection Service role",
    status: f.fisRole.demo ? "info" : "pass",
    detail: f.fisRole.demo
      ? `Experiments run as the emulator's demo role ${f.fisRole.arn}; on AWS, set CACHEDECK_FIS_ROLE_ARN to a role FIS can assume (docs/drills.md).`
      : `Experiments run as ${f.fisRole.arn}.`,
    why: "AWS Fault Injection Service cuts the zone's power with this role's permissions; CacheDeck passes it to FIS (iam:PassRole).",
  };
}

/** A configured template is started as it is, so it must do exactly what this drill says, on this group alone. */
function fisTemplate(f: PreflightFacts, t: TemplateFacts): CheckItem {
  const check = (status: CheckStatus, detail: string): CheckItem => ({
    id: "fis-template",
    label: "Experiment template",
    status,
    detail,
    why: "The organization's template (CACHEDECK_FIS_TEMPLATE_IDS) is started instead of one CacheDeck creates, with its stop conditions and scope; it must cut this group's chosen zone for the chosen time and nothing else.",
  });
  const name = `Template ${t.id}`;
  if (!t.found) return check("fail", `${name} does not exist in this region: correct CACHEDECK_FIS_TEMPLATE_IDS or create it (docs/drills.md).`);
  if (!t.azPowerOnly) return check("fail", `${name} runs ${t.actionIds.join(", ") || "no action"}; a drill's template has exactly one action, aws:elasticache:replicationgroup-interrupt-az-power.`);
  const others = (t.targetGroups ?? []).filter((id) => id !== f.replicationGroupId);
  if (!t.targetGroups?.includes(f.replicationGroupId)) {
    return check("fail", `${name} does not target ${f.replicationGroupId}${t.targetGroups?.length ? ` (it targets ${t.targetGroups.join(", ")})` : ""}: drill a group it targets, or change the template.`);
  }
  if (others.length > 0) return check("fail", `${name} also targets ${others.join(", ")}: a drill cuts the zone of one group, so its template must resolve to ${f.replicationGroupId} alone.`);
  if (t.availabilityZone !== f.availabilityZone) return check("fail", `${name} cuts the power of ${t.availabilityZone ?? "no zone"}, not ${f.availabilityZone}: choose ${t.availabilityZone ?? "the template's zone"}.`);
  if (t.durationSeconds !== f.durationSeconds) {
    return check("fail", `${name} keeps the power off for ${formatSeconds(t.durationSeconds)}, not ${formatSeconds(f.durationSeconds)}: set the duration to ${t.durationSeconds ?? "the template's"} seconds.`);
  }
  return check("pass", `${name} cuts the power of ${t.availabilityZone} for ${formatSeconds(t.durationSeconds)} on ${f.replicationGroupId}; it is started as it is and kept after the drill.`);
}

function probe(f: PreflightFacts): CheckItem {
  const { requested, problem } = f.probe;
  return {
    id: "probe",
    label: "Write probe",
    status: !requested ? "info" : problem ? "fail" : "pass",
    detail: !requested
      ? "Off: the drill measures failover and recovery from ElastiCache's API only."
      : problem
        ? `${problem} Turn the probe off to drill without it.`
        : "CacheDeck reaches the group's endpoint and will write and read throughout the drill.",
    why: "A client writing through the drill shows how long writes fail and whether any acknowledged write is lost.",
  };
}

export function evaluateChecklist(f: PreflightFacts): Checklist {
  const { item: shardsItem, shards, failovers } = chosenShards(f);
  const drilled = f.group.shards.filter((s) => failovers.includes(s.id));
  const outsideAz = f.kind === "az-power-interruption" ? f.availabilityZone : null;
  const items: CheckItem[] = [
    groupAvailable(f),
    settingOn(
      "automatic-failover",
      "Automatic failover",
      f.group.automaticFailover,
      "Without automatic failover ElastiCache does not promote a replica: the drill would only take the primary away.",
    ),
    settingOn(
      "multi-az",
      "Multi-AZ",
      f.group.multiAZ,
      "Multi-AZ keeps replicas in other Availability Zones and lets ElastiCache fail over to them, which is what a drill rehearses.",
    ),
    ...(f.kind === "az-power-interruption" ? [fisRole(f)] : []),
    ...(f.kind === "az-power-interruption" && f.fisTemplate ? [fisTemplate(f, f.fisTemplate)] : []),
    shardsItem,
    ...drilled.map((shard) => replicaCheck(f, shard, outsideAz)),
    quota(f, failovers),
    noRunningDrill(f),
    probe(f),
    lastDrill(f),
  ];
  return { items, ready: items.every((i) => i.status !== "fail"), shards };
}
