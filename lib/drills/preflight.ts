import "server-only";
import type { AuditLog } from "@/lib/audit/audit-log";
import { failoverQuotaUse } from "@/lib/audit/failover-quota";
import { DEMO_FIS_ROLE_ARN, type DrillConfig } from "@/lib/env";
import { AZ_POWER_ACTION, getAzPowerTemplate, type AzPowerTemplate } from "@/lib/aws/fis";
import { listTags } from "@/lib/aws/elasticache";
import { getRegionTags } from "@/lib/aws/tagging";
import { evaluateChecklist, type Checklist, type PreflightFacts, type TemplateFacts } from "@/lib/drills/checklist";
import type { DrillKind } from "@/lib/drills/model";
import { memberIds, observeGroup, withMetrics, type ObservedGroup } from "@/lib/drills/observe";
import { cacheAccessFor } from "@/lib/drills/cache-access";
import { probeProblem } from "@/lib/drills/probe";
import type { DrillStore } from "@/lib/drills/store";
import { placeKey, placeOf, type Place } from "@/lib/place";
import { fisRoleArnFor } from "@/lib/accounts";

// Gathers the pre-flight facts live — the group from DescribeReplicationGroups and DescribeCacheClusters, lag and
// roles from CloudWatch, the quota from our audit records and ElastiCache's events, drills from our store — and
// judges them with the checklist rules.

export interface PreflightRequest {
  kind: DrillKind;
  account: string;
  region: string;
  replicationGroupId: string;
  shards: string[];
  availabilityZone: string | null;
  /** AZ drills: how long the power stays off. */
  durationSeconds?: number | null;
  probe: boolean;
}

export interface PreflightDeps {
  store: DrillStore;
  audit: AuditLog;
  config: DrillConfig;
  log: (message: string, error?: unknown) => void;
}

export interface Preflight {
  checklist: Checklist;
  facts: PreflightFacts;
  /** The group as read for the checklist, roles and lag included: the drill's "before". */
  observed: ObservedGroup;
}

/** The configured template of the region as the checklist judges it; null when the region has none (or no AZ drill). */
async function templateFacts(request: PreflightRequest, deps: PreflightDeps, group: ObservedGroup["group"]): Promise<TemplateFacts | null> {
  if (request.kind !== "az-power-interruption") return null;
  const id = deps.config.fisTemplateIds.get(placeKey(request));
  if (id === undefined) return null;
  const template = await getAzPowerTemplate(placeOf(request), id);
  if (!template) return { id, found: false, actionIds: [], azPowerOnly: false, availabilityZone: null, durationSeconds: null, targetGroups: null };
  return {
    id,
    found: true,
    actionIds: template.actionIds,
    azPowerOnly: template.actionIds.length === 1 && template.actionIds[0] === AZ_POWER_ACTION,
    availabilityZone: template.availabilityZone,
    durationSeconds: template.durationSeconds,
    targetGroups: template.target ? await targetGroups(placeOf(request), template.target, group) : null,
  };
}

/** Replication group ids a template's target resolves to: its ARNs, or every group in the region carrying its tags. */
async function targetGroups(place: Place, target: NonNullable<AzPowerTemplate["target"]>, group: ObservedGroup["group"]): Promise<string[]> {
  const groupId = (arn: string) => arn.split(":replicationgroup:")[1] ?? arn;
  if (target.resourceArns.length > 0) return target.resourceArns.map(groupId);
  const wanted = Object.entries(target.resourceTags);
  if (wanted.length === 0) return [];
  const tagged = await getRegionTags(place);
  // AWS may leave a resource out of GetResources until its tags settle; this group's own ARN is checked either way.
  if (group.arn && !tagged.has(group.arn)) tagged.set(group.arn, await listTags(place, group.arn));
  return [...tagged]
    .filter(([arn, tags]) => arn.includes(":replicationgroup:") && wanted.every(([key, value]) => Object.hasOwn(tags, key) && tags[key] === value))
    .map(([arn]) => groupId(arn));
}

async function quotaUsed(request: PreflightRequest, deps: PreflightDeps, now: Date): Promise<PreflightFacts["quota"]> {
  return failoverQuotaUse(placeOf(request), deps.audit, deps.config.failoverQuotaPerDay, now, (message, error) => deps.log(`pre-flight: ${message}`, error));
}

/** Whether the probe can write to the group, over TLS and with its AUTH token when it needs them. */
async function probeCheck(request: PreflightRequest, observed: ObservedGroup, config: DrillConfig): Promise<string | null> {
  const access = cacheAccessFor(config.cacheAccess, placeOf(request), observed.group);
  if ("problem" in access) return access.problem;
  return probeProblem({ clusterMode: observed.clusterMode, resolve: async () => observed.endpoints, shardSlots: [], access });
}

export async function runPreflight(request: PreflightRequest, deps: PreflightDeps, now = new Date()): Promise<Preflight> {
  const described = await observeGroup(placeOf(request), request.replicationGroupId);
  const withStatuses = await observeGroup(placeOf(request), request.replicationGroupId, { statusOf: memberIds(described) });
  const observed = await withMetrics(placeOf(request), withStatuses, now.getTime()).catch((error) => {
    deps.log(`pre-flight: CloudWatch metrics of ${request.replicationGroupId} not read; lag is unknown`, error);
    return withStatuses;
  });
  const [quota, runningDrill, lastDrill, fisTemplate, probe] = await Promise.all([
    quotaUsed(request, deps, now),
    deps.store.running(request, request.replicationGroupId),
    deps.store.last(request, request.replicationGroupId),
    templateFacts(request, deps, observed.group),
    request.probe ? probeCheck(request, observed, deps.config) : Promise.resolve(null),
  ]);
  const { group } = observed;
  const facts: PreflightFacts = {
    kind: request.kind,
    replicationGroupId: request.replicationGroupId,
    group: {
      status: group.status,
      pendingChanges: group.pending.names,
      automaticFailover: group.automaticFailover,
      multiAZ: group.multiAz === null ? null : group.multiAz ? "enabled" : "disabled",
      clusterMode: observed.clusterMode,
      shards: observed.shards,
    },
    requestedShards: request.shards,
    availabilityZone: request.availabilityZone,
    maxLagSeconds: deps.config.maxReplicationLagSeconds,
    quota,
    runningDrill: runningDrill ?? null,
    lastDrill: lastDrill ?? null,
    fisRole: { arn: fisRoleArnFor(request.account, deps.config), demo: fisRoleArnFor(request.account, deps.config) === DEMO_FIS_ROLE_ARN },
    durationSeconds: request.durationSeconds ?? null,
    fisTemplate,
    probe: { requested: request.probe, problem: probe },
  };
  return { checklist: evaluateChecklist(facts), facts, observed };
}
