import "server-only";
import type { AuditLog } from "@/lib/audit/audit-log";
import type { DrillConfig } from "@/lib/env";
import { AwsError } from "@/lib/aws";
import { testFailover, type ChangeResult } from "@/lib/aws/elasticache-changes";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { deleteExperimentTemplate, getAzPowerExperiment, startAzPowerExperiment, stopAzPowerExperiment, type AzPowerExperiment } from "@/lib/aws/fis";
import type { ChartModel } from "@/lib/data/model";
import type { Drill, DrillStatus, NodeRef, TimelineData, TimelineKind, Topology } from "@/lib/drills/model";
import { eventKey, readEvent } from "@/lib/drills/events";
import {
  clusterAvailable,
  groupEvents,
  memberClusters,
  memberIds,
  nodeRef,
  observeGroup,
  topologyOf,
  type Endpoint,
  type ObservedEvent,
  type ObservedGroup,
} from "@/lib/drills/observe";
import { cacheAccessFor } from "@/lib/drills/cache-access";
import { WriteProbe, type ProbeOptions } from "@/lib/drills/probe";
import { buildReport } from "@/lib/drills/report";
import { HEARTBEAT_INTERVAL_MS, type DrillStore } from "@/lib/drills/store";
import { formatDuration } from "@/lib/duration";
import { fisRoleArnFor } from "@/lib/accounts";
import { placeKey, placeOf, type Place } from "@/lib/place";

// Runs a drill on the server, start to end, writing everything it sees to the timeline as it happens: the API call,
// each ElastiCache event, the moment each shard's primary changes (old and new node and AZ), each shard healthy again.
// Shards go one at a time, as AWS requires within a group; an abort is honoured before the next shard. Everything
// measured is computed from the timeline (lib/drills/measure.ts), so a drill cut short keeps what it measured.

export interface RunnerDeps {
  store: DrillStore;
  /** Each TestFailover (or fault) call is audited like any operation; null only in tests of the runner itself. */
  audit: AuditLog | null;
  config: DrillConfig;
  log: (message: string, error?: unknown) => void;
  /**
   * Told when the drill has just asked AWS for a change to its group (a failover, an AZ's power cut): the region's
   * watcher then polls events at its busy pace, so every open page hears the drill's failovers promptly.
   */
  expectChange?: (place: Place, replicationGroupId: string) => void;
  /** Replication lag and connection charts of the drill's window, kept in the report. */
  charts?: (place: Place, cacheClusterIds: string[], start: number, end: number) => Promise<ChartModel[]>;
  probeOptions?: ProbeOptions;
}

interface ShardWatch {
  shard: string;
  expectFailover: boolean;
  oldPrimary: NodeRef | null;
  newPrimary: NodeRef | null;
  newPrimaryAt: number | null;
  /** Member clusters that must report "Finished recovery" (the demoted primary; an AZ's dead nodes). */
  mustRecover: Set<string>;
  recovering: Set<string>;
  recovered: Map<string, number>;
  /** Last time the statuses kept the shard from being healthy: from then on, health is only as recent as the check. */
  blockedAt: number | null;
  healthy: boolean;
}

interface Step {
  shards: string[];
  /** Shards whose primary is expected to change in this step. */
  failovers: Set<string>;
  /** Nodes to see recover, per shard, besides the demoted primary. */
  recover: Map<string, string[]>;
  /** Not healthy before this instant (an AZ comes back only when its power does). */
  notBefore: number;
  trigger(): Promise<boolean>;
}

const ENDPOINT_REFRESH_MS = 250;
/** AWS's answers meaning "not now" while the previous shard's failover is still settling. */
const NOT_READY_CODES = new Set(["TestFailoverNotAvailableFault", "InvalidReplicationGroupStateFault", "InvalidCacheClusterStateFault"]);
/** FIS states after which an experiment does nothing more. */
const EXPERIMENT_OVER = new Set(["completed", "stopped", "failed", "cancelled"]);
/** How long a stopped experiment may take to give the power back before the drill stops waiting for it. */
const STOP_WAIT_MS = 60_000;
const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DrillRun {
  private readonly seenEvents = new Set<string>();
  private readonly members: Map<string, { shard: string; member: NodeRef }>;
  private readonly changes = new Map<string, { from: NodeRef | null; to: NodeRef }>();
  private probe: WriteProbe | null = null;
  private latest: ObservedGroup;
  private lastEndpointRead = 0;
  private endpoints: Endpoint[];
  private apiCallAt = 0;
  private stepsDone = 0;
  private notReadyRefusals = 0;
  /** The experiment template this drill created (none when it started a configured one). */
  private createdTemplateId: string | null = null;
  /** The AZ drill's AWS FIS experiment, as last seen. */
  private experiment: AzPowerExperiment | null = null;

  constructor(
    private drill: Drill,
    private readonly deps: RunnerDeps,
    private readonly before: ObservedGroup,
  ) {
    this.latest = before;
    this.endpoints = before.endpoints;
    this.members = new Map(before.shards.flatMap((s) => s.members.map((m) => [m.cacheClusterId, { shard: s.id, member: nodeRef(m) }] as const)));
  }

  /** The group's account and region, where every AWS call of the drill goes. */
  private get place(): Place {
    return placeOf(this.drill);
  }

  /** Runs to the end; never throws (a failure ends the drill as failed, with the reason on record). */
  async run(): Promise<Drill> {
    const heartbeat = setInterval(() => {
      this.deps.store.heartbeat(this.drill.id).catch((error) => this.deps.log(`drill #${this.drill.id}: heartbeat failed`, error));
    }, HEARTBEAT_INTERVAL_MS);
    heartbeat.unref();
    let status: Exclude<DrillStatus, "running"> = "completed";
    let error: string | null = null;
    try {
      const topology = topologyOf(this.before);
      await this.record("drill-started", null, `Drill started by ${this.drill.actor.name}`, { topology });
      await this.startProbe();
      for (const step of this.steps()) {
        if (await this.abortRequested()) {
          status = "aborted";
          break;
        }
        const outcome = await this.runStep(step);
        if (outcome !== "done") {
          status = outcome;
          break;
        }
        this.stepsDone += 1;
      }
    } catch (failure) {
      status = "failed";
      error = "The drill stopped on an unexpected error; see CacheDeck's log.";
      this.deps.log(`drill #${this.drill.id} failed unexpectedly`, failure);
      await this.record("error", null, error, {}).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
      await this.endExperiment();
    }
    return this.finish(status, error);
  }

  private steps(): Step[] {
    const { parameters } = this.drill;
    if (this.drill.kind === "test-failover") {
      return parameters.shards.map((shard) => ({
        shards: [shard],
        failovers: new Set([shard]),
        recover: new Map(),
        notBefore: 0,
        trigger: () => this.callTestFailover(shard),
      }));
    }
    const zone = parameters.availabilityZone ?? "";
    const inZone = (shard: string) =>
      this.before.shards.find((s) => s.id === shard)?.members.filter((m) => m.availabilityZone === zone).map((m) => m.cacheClusterId) ?? [];
    const primaryInZone = (shard: string) => this.before.shards.find((s) => s.id === shard)?.members.some((m) => m.role === "primary" && m.availabilityZone === zone);
    const step: Step = {
      shards: parameters.shards,
      failovers: new Set(parameters.shards.filter(primaryInZone)),
      recover: new Map(parameters.shards.map((s) => [s, inZone(s)])),
      // Not healthy before FIS reports the experiment completed, the power back (followExperiment).
      notBefore: Infinity,
      trigger: () => this.callStartExperiment(),
    };
    return [step];
  }

  private async record<K extends TimelineKind>(kind: K, shard: string | null, message: string, data: TimelineData[K], at?: Date): Promise<void> {
    await this.deps.store.appendTimeline(this.drill.id, { kind, shard, message, data, at: at?.toISOString() });
  }

  private async abortRequested(): Promise<boolean> {
    const current = await this.deps.store.get(this.drill.id);
    if (!current?.abortRequestedAt) return false;
    await this.record("abort-requested", null, `Aborted by ${current.abortRequestedBy ?? "someone"} before the next shard`, { by: current.abortRequestedBy ?? "" });
    return true;
  }

  private async audited<T>(action: string, target: string, parameters: Record<string, unknown>, call: () => Promise<T & { requestId?: string | null }>) {
    const auditId =
      (await this.deps.audit?.begin({
        actor: { ...this.drill.actor, role: this.drill.actor.role as "viewer" | "operator" | "admin" },
        action,
        account: this.drill.account,
        region: this.drill.region,
        target,
        parameters: { ...parameters, drillId: this.drill.id },
      })) ?? null;
    try {
      const result = await call();
      if (auditId !== null) await this.deps.audit?.complete(auditId, { outcome: "succeeded", requestId: result.requestId ?? null });
      return { result, auditId };
    } catch (error) {
      const message = explainAwsRefusal(error) ?? (error instanceof Error ? error.message : String(error));
      if (auditId !== null) await this.deps.audit?.complete(auditId, { outcome: "failed", error: message }).catch(() => undefined);
      throw Object.assign(new Error(message), { auditId });
    }
  }

  private async callTestFailover(shard: string): Promise<boolean> {
    const { replicationGroupId } = this.drill;
    this.notReadyRefusals = 0;
    try {
      const { result, auditId } = await this.audited("cluster.test-failover", `${replicationGroupId}/${shard}`, { replicationGroupId, nodeGroupId: shard }, () =>
        this.testFailoverWhenReady(shard),
      );
      const data = { operation: "TestFailover", requestId: result.requestId ?? null, durationMs: Date.now() - this.apiCallAt, auditId };
      const waited = this.notReadyRefusals > 0 ? `, accepted after AWS asked to wait ${this.notReadyRefusals} time${this.notReadyRefusals === 1 ? "" : "s"}` : "";
      await this.record("api-call", shard, `TestFailover called for shard ${shard}${data.requestId ? ` (request ${data.requestId})` : ""}${waited}`, data, new Date(this.apiCallAt));
      return true;
    } catch (error) {
      await this.record("error", shard, `TestFailover for shard ${shard} was refused: ${(error as Error).message}`, {});
      return false;
    }
  }

  /**
   * After a shard, AWS may refuse the next one for a little while although the previous one reported its recovery
   * finished; the runner tries again until the shard timeout rather than failing a drill that is only early.
   */
  private async testFailoverWhenReady(shard: string): Promise<ChangeResult> {
    const { replicationGroupId } = this.drill;
    const deadline = Date.now() + this.deps.config.shardTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      this.apiCallAt = Date.now();
      try {
        return await testFailover(this.place, replicationGroupId, shard);
      } catch (error) {
        const notYet = this.stepsDone > 0 && error instanceof AwsError && NOT_READY_CODES.has(error.awsCode ?? "");
        if (!notYet || Date.now() > deadline) throw error;
        this.notReadyRefusals = attempt + 1;
        await sleep(Math.max(this.deps.config.pollIntervalMs, 1_000));
      }
    }
  }

  /** Starts the drill's AWS FIS experiment, which cuts the zone's power; false if FIS (or ElastiCache) refused. */
  private async callStartExperiment(): Promise<boolean> {
    const { replicationGroupId, parameters } = this.drill;
    const zone = parameters.availabilityZone ?? "";
    const durationSeconds = parameters.durationSeconds ?? 0;
    const started = new Date();
    this.apiCallAt = started.getTime();
    try {
      const { result, auditId } = await this.audited("drill.interrupt-az-power", `${replicationGroupId}/${zone}`, { replicationGroupId, availabilityZone: zone, durationSeconds }, () =>
        startAzPowerExperiment({
          place: this.place,
          replicationGroupId,
          availabilityZone: zone,
          durationSeconds,
          roleArn: fisRoleArnFor(this.drill.account, this.deps.config),
          label: `drill ${this.drill.id}`,
          templateId: this.deps.config.fisTemplateIds.get(placeKey(this.drill)) ?? null,
        }),
      );
      this.experiment = result;
      this.createdTemplateId = result.createdTemplate ? result.templateId : null;
      const inZone = this.before.shards.flatMap((s) => s.members.filter((m) => m.availabilityZone === zone).map((m) => `${m.cacheClusterId} (${m.role})`));
      await this.record(
        "api-call",
        null,
        `AWS FIS experiment ${result.id} started: power of ${zone} off for ${formatDuration(durationSeconds * 1000)}; ${inZone.join(", ") || "no node of the group"} in that zone`,
        { operation: "StartExperiment", requestId: result.requestId, durationMs: Date.now() - started.getTime(), auditId },
        started,
      );
      return true;
    } catch (error) {
      await this.record("error", null, `The AZ power interruption was refused: ${(error as Error).message}`, {});
      return false;
    }
  }

  /**
   * Follows the FIS experiment while it runs: an abort stops it at once (the power comes back), and the zone counts
   * as powered again only when FIS reports the experiment completed. An experiment that fails or is stopped from
   * elsewhere ends the drill as failed.
   */
  private async followExperiment(step: Step): Promise<"failed" | "aborted" | null> {
    if (!this.experiment || EXPERIMENT_OVER.has(this.experiment.status)) return null;
    const current = await this.deps.store.get(this.drill.id);
    if (current?.abortRequestedAt) {
      const by = current.abortRequestedBy ?? "someone";
      await this.stopExperiment();
      const zone = this.drill.parameters.availabilityZone;
      const stopped = this.experiment.status === "stopped" ? `stopped, power back in ${zone}` : `is ${this.experiment.status}`;
      await this.record("abort-requested", null, `Aborted by ${by}: AWS FIS experiment ${this.experiment.id} ${stopped}`, { by });
      return "aborted";
    }
    this.experiment = await getAzPowerExperiment(this.place, this.experiment.id);
    if (this.experiment.status === "completed") {
      step.notBefore = this.experiment.powerBackAt ?? Date.now();
      return null;
    }
    if (EXPERIMENT_OVER.has(this.experiment.status)) {
      await this.record("error", null, `AWS FIS experiment ${this.experiment.id} ended ${this.experiment.status}${this.experiment.reason ? `: ${this.experiment.reason}` : ""}`, {});
      return "failed";
    }
    return null;
  }

  /** StopExperiment, then GetExperiment until FIS says the experiment is over (the power is back). */
  private async stopExperiment(): Promise<void> {
    const experiment = this.experiment!;
    this.experiment = await stopAzPowerExperiment(this.place, experiment.id);
    const deadline = Date.now() + STOP_WAIT_MS;
    while (!EXPERIMENT_OVER.has(this.experiment.status) && Date.now() < deadline) {
      await sleep(Math.min(this.deps.config.pollIntervalMs, 1_000));
      this.experiment = await getAzPowerExperiment(this.place, experiment.id);
    }
  }

  /**
   * Whatever ended the drill (a timeout, an unexpected error), its experiment must not keep the zone dark: a running
   * one is stopped. The drill's template goes too.
   */
  private async endExperiment(): Promise<void> {
    const experiment = this.experiment;
    if (!experiment) return;
    try {
      if (!EXPERIMENT_OVER.has(experiment.status)) await this.stopExperiment();
    } catch (error) {
      this.deps.log(`drill #${this.drill.id}: stopping AWS FIS experiment ${experiment.id} failed; stop it in the FIS console`, error);
      await this.record("error", null, `AWS FIS experiment ${experiment.id} could not be stopped; stop it in the FIS console.`, {}).catch(() => undefined);
    }
    // A configured template is the organization's and stays; the one made for this drill goes with it.
    const created = this.createdTemplateId;
    if (created === null) return;
    await deleteExperimentTemplate(this.place, created).catch((error) =>
      this.deps.log(`drill #${this.drill.id}: deleting FIS experiment template ${created} failed`, error),
    );
  }

  private async runStep(step: Step): Promise<"done" | "failed" | "aborted"> {
    const watches = step.shards.map((shard): ShardWatch => {
      const observed = this.latest.shards.find((s) => s.id === shard);
      const primary = observed?.members.find((m) => m.role === "primary");
      return {
        shard,
        expectFailover: step.failovers.has(shard),
        oldPrimary: primary ? nodeRef(primary) : null,
        newPrimary: null,
        newPrimaryAt: null,
        mustRecover: new Set(step.recover.get(shard) ?? []),
        recovering: new Set(),
        recovered: new Map(),
        blockedAt: null,
        healthy: false,
      };
    });
    await this.record("shard-started", step.shards.length === 1 ? step.shards[0] : null, `Starting on shard${step.shards.length === 1 ? "" : "s"} ${step.shards.join(", ") || "(none)"}`, { shards: step.shards });
    if (!(await step.trigger())) return "failed";
    this.deps.expectChange?.(this.place, this.drill.replicationGroupId);

    const deadline = this.apiCallAt + this.deps.config.shardTimeoutMs;
    let lastProblem: string | null = null;
    while (watches.some((w) => !w.healthy)) {
      try {
        const ended = await this.followExperiment(step);
        if (ended) return ended;
        await this.poll(watches, step);
        lastProblem = null;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
        this.deps.log(`drill #${this.drill.id}: reading the group failed (will retry)`, error);
      }
      if (watches.every((w) => w.healthy)) break;
      if (Date.now() > deadline) {
        for (const w of watches.filter((x) => !x.healthy)) {
          const waitingFor = w.expectFailover && !w.newPrimary ? "a new primary" : "its nodes to recover";
          await this.record("error", w.shard, `Shard ${w.shard} still waiting for ${waitingFor} after ${formatDuration(this.deps.config.shardTimeoutMs)}${lastProblem ? ` (last problem: ${lastProblem})` : ""}`, { timedOut: true });
        }
        return "failed";
      }
      await sleep(this.deps.config.pollIntervalMs);
    }
    return "done";
  }

  private async poll(watches: ShardWatch[], step: Step): Promise<void> {
    const observed = await observeGroup(this.place, this.drill.replicationGroupId);
    this.latest = observed;
    const now = Date.now();
    const events = await groupEvents(
      this.place,
      this.drill.replicationGroupId,
      new Set(this.members.keys()),
      // A second of slack for AWS's clock; anything older happened before the drill and is not part of it.
      new Date(Date.parse(this.drill.requestedAt) - 1_000),
      new Date(now + 1_000),
    );
    for (const event of events) {
      const key = eventKey(event);
      if (this.seenEvents.has(key)) continue;
      this.seenEvents.add(key);
      await this.onEvent(event, watches, now);
    }
    for (const watch of watches) await this.checkDescribedPrimary(watch, observed, now);
    for (const watch of watches) await this.checkHealthy(watch, observed, step, now);
  }

  private shardOfEvent(event: ObservedEvent): string | null {
    const fact = readEvent(event.message);
    if (fact.type === "test-failover-called") return fact.nodeGroupId;
    if (fact.type === "failover-completed") return this.members.get(fact.to)?.shard ?? this.members.get(fact.from)?.shard ?? null;
    return this.members.get(event.sourceIdentifier)?.shard ?? null;
  }

  private async onEvent(event: ObservedEvent, watches: ShardWatch[], now: number): Promise<void> {
    const shard = this.shardOfEvent(event);
    await this.record("event", shard, event.message, { sourceType: event.sourceType, sourceIdentifier: event.sourceIdentifier, date: event.date });
    const watch = watches.find((w) => w.shard === shard);
    if (!watch) return;
    const fact = readEvent(event.message);
    const at = clamp(Date.parse(event.date), this.apiCallAt, now);
    if (fact.type === "failover-completed" && !watch.newPrimary) {
      const from = this.members.get(fact.from)?.member ?? watch.oldPrimary;
      const to = this.members.get(fact.to)?.member ?? { cacheClusterId: fact.to, availabilityZone: null };
      await this.primaryChanged(watch, from, to, at, "event");
    } else if (fact.type === "recovering" && this.members.has(event.sourceIdentifier)) {
      watch.recovering.add(event.sourceIdentifier);
    } else if (fact.type === "recovered" && this.members.has(event.sourceIdentifier)) {
      watch.recovered.set(event.sourceIdentifier, at);
    }
  }

  /** Cluster mode disabled reports roles: a different primary than before is a failover, event or not. */
  private async checkDescribedPrimary(watch: ShardWatch, observed: ObservedGroup, now: number): Promise<void> {
    if (watch.newPrimary || !watch.oldPrimary) return;
    const primary = observed.shards.find((s) => s.id === watch.shard)?.members.find((m) => m.role === "primary");
    if (primary && primary.cacheClusterId !== watch.oldPrimary.cacheClusterId) await this.primaryChanged(watch, watch.oldPrimary, nodeRef(primary), now, "describe");
  }

  private async primaryChanged(watch: ShardWatch, from: NodeRef | null, to: NodeRef, at: number, detectedBy: "event" | "describe"): Promise<void> {
    watch.newPrimary = to;
    watch.newPrimaryAt = at;
    if (from) watch.mustRecover.add(from.cacheClusterId);
    this.changes.set(watch.shard, { from, to });
    const where = (n: NodeRef) => `${n.cacheClusterId}${n.availabilityZone ? ` (${n.availabilityZone})` : ""}`;
    await this.record(
      "primary-change",
      watch.shard,
      `Shard ${watch.shard}: new primary ${where(to)}${from ? `, was ${where(from)}` : ""}, ${formatDuration(at - this.apiCallAt)} after the call`,
      { oldPrimary: from ?? watch.oldPrimary, newPrimary: to, detectedBy },
      new Date(at),
    );
  }

  /**
   * Healthy: the new primary known, every recovery AWS announced finished, and only then (so a drill reads each node's
   * status once or twice rather than on every poll) the group, the shard and every member cluster available.
   */
  private async checkHealthy(watch: ShardWatch, observed: ObservedGroup, step: Step, now: number): Promise<void> {
    if (watch.healthy || now < step.notBefore) return;
    if (watch.expectFailover && !watch.newPrimary) return;
    if ([...watch.recovering].some((id) => !watch.recovered.has(id))) return;
    // AWS announces a replaced node with "Recovering cache nodes"; if none comes within the wait, none is expected.
    const recoveryFrom = Math.max(watch.newPrimaryAt ?? this.apiCallAt, step.notBefore);
    const quietLongEnough = now - recoveryFrom >= this.deps.config.recoveryEventWaitMs;
    if ([...watch.mustRecover].some((id) => !watch.recovered.has(id) && (watch.recovering.has(id) || !quietLongEnough))) return;
    const shard = observed.shards.find((s) => s.id === watch.shard);
    const members = await memberClusters(this.place, shard?.members.map((m) => m.cacheClusterId) ?? []);
    const available =
      observed.group.status === "available" &&
      (shard?.status ?? "available") === "available" &&
      (shard?.members ?? []).every((m) => clusterAvailable(members.get(m.cacheClusterId)));
    if (!available) {
      watch.blockedAt = now;
      return;
    }
    // Dated by AWS's events, unless a status held the shard back after them: then by this check.
    const last = watch.blockedAt !== null ? now : Math.max(watch.newPrimaryAt ?? 0, step.notBefore, ...watch.recovered.values());
    watch.healthy = true;
    await this.record("shard-healthy", watch.shard, `Shard ${watch.shard} healthy again: every node available and recovered`, {}, new Date(Math.min(last, now)));
  }

  private async startProbe(): Promise<void> {
    if (!this.drill.parameters.probe) return;
    const { store } = this.deps;
    const drillId = this.drill.id;
    const record = (message: string, data: TimelineData["probe"], shard: string | null) =>
      store.appendTimeline(drillId, { kind: "probe", shard, message, data }).catch((error) => this.deps.log(`drill #${drillId}: probe entry not written`, error));
    const laneShard = (lane: string) => (this.before.clusterMode ? lane : null);
    // The pre-flight checked this; a token file changed since is said on the timeline, and the drill runs without the probe.
    const access = cacheAccessFor(this.deps.config.cacheAccess, this.place, this.before.group);
    if ("problem" in access) {
      await record(`Probe not started: ${access.problem}`, { phase: "started" }, null);
      return;
    }
    this.probe = new WriteProbe(
      `drill:${drillId}`,
      {
        clusterMode: this.before.clusterMode,
        resolve: () => this.currentEndpoint(),
        shardSlots: this.before.group.shards.filter((s) => this.drill.parameters.shards.includes(s.id)).map((s) => ({ shard: s.id, slots: s.slots ?? "" })),
        access,
      },
      {
        ...this.deps.probeOptions,
        listener: {
          outageStarted: (lane, operation, at, error) => void record(`${operation === "write" ? "Writes" : "Reads"} failing: ${error}`, { phase: "outage-started", operation, error }, laneShard(lane)),
          outageEnded: (lane, operation, at, outageMs) =>
            void record(`${operation === "write" ? "Writes" : "Reads"} succeed again after ${formatDuration(outageMs)}`, { phase: "outage-ended", operation, outageMs }, laneShard(lane)),
        },
      },
    );
    this.probe.start();
    await this.record("probe", null, "Probe writing and reading", { phase: "started" });
  }

  /** The endpoint the probe should use now: re-read from AWS at most every ENDPOINT_REFRESH_MS, as a client re-resolves DNS. */
  private async currentEndpoint() {
    if (Date.now() - this.lastEndpointRead >= ENDPOINT_REFRESH_MS) {
      this.lastEndpointRead = Date.now();
      const nodes = this.before.clusterMode ? memberIds(this.latest) : [];
      this.endpoints = await observeGroup(this.place, this.drill.replicationGroupId, { statusOf: nodes }).then(
        (observed) => observed.endpoints,
        () => this.endpoints,
      );
    }
    return this.endpoints;
  }

  private async topologyAfter(): Promise<Topology | null> {
    if (this.before.clusterMode) {
      // Cluster mode reports no roles: the roles after are those before with each observed failover applied.
      const topology = topologyOf(this.before);
      return {
        capturedAt: new Date().toISOString(),
        shards: topology.shards.map((s) => {
          const change = this.changes.get(s.id);
          if (!change) return s;
          const everyone = [...(s.primary ? [s.primary] : []), ...s.replicas];
          return { id: s.id, primary: change.to, replicas: everyone.filter((n) => n.cacheClusterId !== change.to.cacheClusterId) };
        }),
      };
    }
    try {
      return topologyOf(await observeGroup(this.place, this.drill.replicationGroupId));
    } catch (error) {
      this.deps.log(`drill #${this.drill.id}: topology after the drill not read`, error);
      return null;
    }
  }

  private async finish(status: Exclude<DrillStatus, "running">, error: string | null): Promise<Drill> {
    const { store } = this.deps;
    const drillId = this.drill.id;
    if (this.probe) {
      const result = await this.probe.stop();
      await this.record("probe", null, `Probe: ${result.writesFailed} failed writes, longest outage ${formatDuration(result.longestWriteOutageMs)}, ${result.keysLost} acknowledged keys lost`, { phase: "finished", result });
    }
    const topologyAfter = await this.topologyAfter();
    const start = Date.parse(this.drill.requestedAt) - 2 * 60_000;
    const charts = await this.deps.charts?.(this.place, [...this.members.keys()], start, Date.now() + 30_000).catch((chartError) => {
      this.deps.log(`drill #${drillId}: charts not read`, chartError);
      return [];
    });
    const finishedAt = new Date().toISOString();
    const ended: Drill = { ...this.drill, status, finishedAt, error };
    const report = buildReport(ended, await store.timeline(drillId), { topologyAfter, charts });
    await store.saveReport(report);
    const stillOurs = await store.finish(drillId, { status, verdict: report.verdict.verdict, error });
    if (!stillOurs) this.deps.log(`drill #${drillId} had already been ended (marked interrupted?) when it finished`);
    await this.record("drill-finished", null, `Drill ${status}: ${report.verdict.summary}`, { status, verdict: report.verdict.verdict, topology: topologyAfter });
    this.drill = (await store.get(drillId)) ?? ended;
    return this.drill;
  }
}
