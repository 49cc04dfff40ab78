import "server-only";
import type { AuditLog } from "@/lib/audit/audit-log";
import { failoverQuotaUse } from "@/lib/audit/failover-quota";
import { DEMO_FIS_ROLE_ARN, type DrillConfig } from "@/lib/env";
import { evaluateChecklist, type Checklist, type PreflightFacts } from "@/lib/drills/checklist";
import type { DrillKind } from "@/lib/drills/model";
import { memberIds, observeGroup, withMetrics, type ObservedGroup } from "@/lib/drills/observe";
import { probeProblem } from "@/lib/drills/probe";
import type { DrillStore } from "@/lib/drills/store";

// Gathers the pre-flight facts live — the group from DescribeReplicationGroups and DescribeCacheClusters, lag and
// roles from CloudWatch, the quota from our audit records and ElastiCache's events, drills from our store — and
// judges them with the checklist rules.

export interface PreflightRequest {
  kind: DrillKind;
  region: string;
  replicationGroupId: string;
  shards: string[];
  availabilityZone: string | null;
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

async function quotaUsed(request: PreflightRequest, deps: PreflightDeps, now: Date): Promise<PreflightFacts["quota"]> {
  return failoverQuotaUse(request.region, deps.audit, deps.config.failoverQuotaPerDay, now, (message, error) => deps.log(`pre-flight: ${message}`, error));
}

export async function runPreflight(request: PreflightRequest, deps: PreflightDeps, now = new Date()): Promise<Preflight> {
  const described = await observeGroup(request.region, request.replicationGroupId);
  const withStatuses = await observeGroup(request.region, request.replicationGroupId, { statusOf: memberIds(described) });
  const observed = await withMetrics(request.region, withStatuses, now.getTime()).catch((error) => {
    deps.log(`pre-flight: CloudWatch metrics of ${request.replicationGroupId} not read; lag is unknown`, error);
    return withStatuses;
  });
  const [quota, runningDrill, lastDrill, probe] = await Promise.all([
    quotaUsed(request, deps, now),
    deps.store.running(request.region, request.replicationGroupId),
    deps.store.last(request.region, request.replicationGroupId),
    request.probe
      ? probeProblem(
          {
            clusterMode: observed.clusterMode,
            resolve: async () => observed.endpoints,
            shardSlots: [],
          },
          observed.group,
        )
      : Promise.resolve(null),
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
    fisRole: { arn: deps.config.fisRoleArn, demo: deps.config.fisRoleArn === DEMO_FIS_ROLE_ARN },
    probe: { requested: request.probe, problem: probe },
  };
  return { checklist: evaluateChecklist(facts), facts, observed };
}
