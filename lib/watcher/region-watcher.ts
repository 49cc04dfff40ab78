import "server-only";
import {
  asSharedReader,
  AwsError,
  describeCacheClusters,
  describeEvents,
  describeReplicationGroups,
  describeServerlessCaches,
  getMetricSeries,
  getTagsPage,
  isNotFound,
  listTags,
  metricsRequestedToday,
  withMembers,
  type AwsProblem,
  type Cache,
  type CacheEvent,
  type MetricRequest,
  type MetricSeries,
  type ResourceTags,
} from "@/lib/aws";
import { describeAlarmTransitions, describeElastiCacheAlarms, type AlarmTransition } from "@/lib/aws/alarms";
import { FleetCosts } from "@/lib/cost/fleet-costs";
import type { WatcherConfig } from "@/lib/env";
import { alarmCoverage, coverageCount, indexAlarms, type AlarmCoverage, type AlarmedCache, type ExistingAlarm } from "@/lib/posture/recommended-alarms";
import type { Place } from "@/lib/place";
import { categorizeEvent } from "@/lib/data/events";
import { assessHealth } from "@/lib/data/health";
import { healthFromSeries, healthRequests, type HealthPlan } from "@/lib/data/health-metrics";
import type { KnownTags } from "@/lib/data/cluster-extras";
import type { ClusterSummary, EventView, RegionReport } from "@/lib/data/model";
import { toProblem } from "@/lib/data/problems";
import { summarizeNodeCache, summarizeServerless, type BareSummary } from "@/lib/data/summaries";
import { healthWindow, type TimeWindow } from "@/lib/data/time-range";
import type { CacheCapacity } from "@/lib/data/capacity";
import { CapacityRead, decodeInTurns, type CapacityReadRecord, type CapacityReadStatus } from "./capacity-read";
import { CostRead, type CostReadDump, type CostReadRecord } from "./cost-read";
import { eventEffects, eventKey, type RoleMove, type WatchedEvent } from "./event-effects";
import { metricId, PointStore, type DecodedPoints, type HeldMinutes } from "./point-store";
import { snapshotRows, type SnapshotPartKind, type SnapshotRows } from "./snapshot-parts";
import {
  alarmsEveryMs,
  busyForMs,
  closeReadIntervalMs,
  dailyCostUsd,
  eventPollIntervalMs,
  fleetReadIntervalMs,
  fullDescribeEveryMs,
  fullDescribePageGapMs,
  fleetReadPairGapMs,
  metricGranularityMs,
  metricsCostUsd,
  nextMetricReadAt,
  spreadOffsetMs,
  nextSlotMs,
  tagPageGapMs,
  tagsEveryMs,
} from "./schedule";

/** A watcher's account (from the accounts file, or "default") and region. */
export type WatcherKey = Place;

export type NodeRoleUpdate = "primary" | "replica";

/** What a watcher tells its listeners (the push streams); plain data, safe to send to a browser. */
export type WatcherChange =
  /** Caches whose status, topology, tags or health changed (or that appeared or went away). */
  | { type: "caches"; region: string; ids: string[] }
  /** Roles AWS reported moving (a failover event or a describe), by member cache cluster id. */
  | { type: "roles"; region: string; group: string; roles: Record<string, NodeRoleUpdate> }
  | { type: "events"; region: string; events: EventView[] };

/**
 * Everything a leading watcher applies to its state, as plain JSON, in the order it applied it: followers on other
 * app instances apply the same records instead of calling AWS (lib/watcher/relay.ts). `meta` is the leader's
 * schedule and problems after the record.
 */
export type WatcherRecord = (WatcherChangeRecord | SnapshotRecord) & { meta: WatcherMeta };

/**
 * The whole state, from which a follower starts (and with which a new leader starts its log). Its metric points (43 MB
 * at 1,100 caches) and its long lists (the topology, tags and capacity read: 9 MB) are written before it as `parts`
 * rows of their own, the kind of each named by `partKinds` (./snapshot-parts.ts), so no single string, write, read or
 * parse holds them all. Absent `partKinds` (an older leader's snapshot): the state is inline and every part is points.
 */
type SnapshotRecord = { type: "snapshot"; at: number; state: WatcherSnapshot; parts: number; partKinds?: SnapshotPartKind[] };
export type SnapshotHead = Extract<WatcherRecord, { type: "snapshot" }>;

/** Metrics per snapshot part: about 0.4 MB of JSON, encoded or decoded in a few tens of ms even on a loaded machine. */
const metricsPerSnapshotPart = 200;

type WatcherChangeRecord =
  | { type: "events"; at: number; events: WatchedEvent[]; react: boolean }
  /** A whole-region describe (`full`: a null list is a kind whose read failed) or the caches events named. */
  | {
      type: "describe";
      at: number;
      full: boolean;
      groups: Cache[] | null;
      clusters: Cache[] | null;
      serverless: Cache[] | null;
      gone: string[];
      /** Groups whose reported roles replace the event roles heard before `startedAt` (when the describe was sent). */
      confirm: string[];
      startedAt?: number;
    }
  | { type: "tags"; at: number; tags: [arn: string, tags: Record<string, string>][] | null }
  | { type: "points"; at: number; which: "fleet" | "close"; series: [id: string, times: number[], values: number[]][] }
  /** The region's ElastiCache alarms (null: the read failed) and the state changes read since the last time. */
  | { type: "alarms"; at: number; alarms: ExistingAlarm[] | null; transitions: AlarmTransition[] }
  /** The capacity read's 14 days of daily statistics (./capacity-read.ts). */
  | { type: "capacity"; at: number; read: CapacityReadRecord }
  /** Reservations and serverless usage, or the region's prices from the Price List API (./cost-read.ts). */
  | { type: "cost"; at: number; read: CostReadRecord }
  /** Nothing applied, only the schedule moved: the leader idled, and its followers must not show it running. */
  | { type: "meta"; at: number };

/**
 * A member's role as a failover event told it: `t` the event's time, `heardAt` when the events poll that brought it
 * was sent (absent in snapshots of leaders from before it was kept: a describe then always wins, as it did).
 */
interface EventRole {
  role: NodeRoleUpdate;
  t: number;
  heardAt?: number;
}

export interface WatcherSnapshot {
  groups: Cache[];
  clusters: Cache[];
  serverless: Cache[];
  tags: [string, Record<string, string>][];
  eventRoles: [string, EventRole][];
  recentEvents: WatchedEvent[];
  newestEventAt: number | null;
  /** Absent in snapshots stored before alarms were read. */
  alarms?: ExistingAlarm[];
  transitions?: AlarmTransition[];
  /** Absent in snapshots stored before the leader made these reads for its followers. */
  capacity?: CapacityReadRecord | null;
  cost?: CostReadDump;
}

interface WatcherMeta {
  state: WatcherStatus["state"];
  problems: AwsProblem[];
  last: WatcherStatus["last"];
  next: WatcherStatus["next"];
  busyUntil: number;
}

/** A follower's requests to the leader: keep watching, someone looks at this cache, an operation was sent to it. */
export type WatcherHint = { kind: "touch" } | { kind: "alarms" } | { kind: "look"; id: string } | { kind: "expect"; id: string };

export interface WatcherStatus {
  key: WatcherKey;
  state: "warming" | "running" | "idle";
  /** "alone" without a shared database; else whether this app instance leads this watcher or follows the leader. */
  lease: "alone" | "leader" | "follower";
  busy: boolean;
  caches: number;
  metricsPerFleetRead: number;
  fleetReadEveryMs: number;
  closeReadEveryMs: number;
  closeReadCaches: number;
  /** What this watcher's metric reads cost a day if they keep their present schedule. */
  projectedUsdPerDay: number;
  /** Its share of the instance's daily CloudWatch budget (./budget-share.ts), which its schedule keeps within. */
  budgetUsdPerDay: number;
  eventPollEveryMs: number;
  /** The capacity read (14 days of daily peaks), a few times a day. */
  capacityRead: CapacityReadStatus;
  last: Record<"events" | "describe" | "fleetRead" | "closeRead" | "tags" | "alarms", number | null>;
  next: Record<"describe" | "fleetRead" | "closeRead" | "tags" | "alarms", number | null>;
  viewers: number;
  lastLookedAt: number;
  problems: AwsProblem[];
}

/** Points kept in memory: enough for the 15 min, 1 h and 3 h ranges; longer ranges are read on demand. */
const keepPointsMs = 3 * 3600_000 + 10 * 60_000;
/** A new read starts this far before the last one ended: CloudWatch fills the newest minutes late. */
const readOverlapMs = 2 * metricGranularityMs;
/**
 * Events are asked for from this long before the end of the last poll (AWS lists some late); repeats are dropped by
 * key. From the last poll, not the newest event: a burst (a thousand caches created in a minute) would otherwise be
 * paged through again on every poll for as long as no newer event arrives.
 */
const eventOverlapMs = 60_000;
const recentEventsMs = 3600_000;
const maxRecentEvents = 500;
/** History is read again from this long before the last alarms read: a change judged during the read is not missed. */
const alarmHistoryOverlapMs = 2 * 60_000;
/** A cache someone opened stays in the closer reads this long after their last look. */
const lookLastsMs = 2 * 60_000;
/** Above this many caches to describe again, one paged read of the region is cheaper than one call each. */
const targetedDescribeLimit = 10;
/** History reads for long ranges are shared by every viewer and kept this long at least. */
const historyTtlMs = 10 * 60_000;

interface Part {
  summary: BareSummary;
  plan: HealthPlan;
  /** The cache as summarized (a group with its members joined in): what the capacity read is given. */
  cache: Cache;
}

/** What caches' parts are built from: the watcher's own maps, or a snapshot's being prepared beside them. */
interface Topology {
  groups: Map<string, Cache>;
  clusters: Map<string, Cache>;
  serverless: Map<string, Cache>;
  /** Each group's member cluster ids: a group joins its members from here, not from a scan of every cluster. */
  membersOf: Map<string, Set<string>>;
}

/** A snapshot's caches summarized between two turns of the event loop (10–20 ms of work on a loaded machine). */
const snapshotSummariesPerTurn = 100;

/** A follower's next state, built from a snapshot beside the live one (`stageSnapshot`) and then swapped in at once. */
interface StagedSnapshot {
  topology: Topology;
  parts: Map<string, Part>;
  /** The live parts the staged summaries were compared with, and the ids whose summaries differ from them. */
  compared: Map<string, Part>;
  differ: Set<string>;
  tags: Map<string, Record<string, string>>;
  points: Map<string, HeldMinutes>;
  eventRoles: Map<string, EventRole>;
  recentEvents: WatchedEvent[];
  seenEvents: Map<string, number>;
  newestEventAt: number | null;
  alarms: { list: ExistingAlarm[]; index: Map<string, ExistingAlarm[]> };
  transitions: AlarmTransition[];
  capacity: { record: CapacityReadRecord; series: Map<string, MetricSeries> } | null;
  cost: CostReadDump | undefined;
}

/** Whether a cache's summary is not what it was (it appeared or went away, or anything shown of it changed). */
function summaryDiffers(before: Part | undefined, after: Part | undefined): boolean {
  return JSON.stringify(before?.summary) !== JSON.stringify(after?.summary);
}

/** The part of the cache with this id (a member cluster has none: its group's part holds it), or null if none. */
function partOf(id: string, from: Topology, key: WatcherKey): Part | null {
  const group = from.groups.get(id);
  if (group) {
    const joined = withMembers(group, [...(from.membersOf.get(id) ?? [])].flatMap((m) => from.clusters.get(m) ?? []));
    return { ...summarizeNodeCache(joined, key), cache: joined };
  }
  const cluster = from.clusters.get(id);
  if (cluster && !cluster.replicationGroupId) return { ...summarizeNodeCache(cluster, key), cache: cluster };
  const serverless = from.serverless.get(id);
  return serverless ? { ...summarizeServerless(serverless, key), cache: serverless } : null;
}

function memberSet(membersOf: Map<string, Set<string>>, group: string): Set<string> {
  let members = membersOf.get(group);
  if (!members) membersOf.set(group, (members = new Set()));
  return members;
}

export interface RegionView {
  report: RegionReport;
  clusters: ClusterSummary[];
  /** False while the watcher's first reads are still under way (the page shows the region as loading). */
  ready: boolean;
}

function fillsUpOf(capacity: CacheCapacity | undefined): Pick<ClusterSummary, "fillsUp"> {
  if (!capacity) return {};
  const { fillsUpAt, fillsUp } = capacity.forecast;
  return { fillsUp: fillsUpAt !== null && fillsUp ? { at: fillsUpAt, figure: fillsUp } : null };
}

function toWatched(e: CacheEvent): WatchedEvent {
  return { t: e.at, sourceType: e.sourceType, source: e.sourceId, message: e.message };
}

function toEventView(e: WatchedEvent): EventView {
  return { t: e.t, source: e.source, sourceType: e.sourceType, message: e.message, category: categorizeEvent(e.message) };
}

/**
 * The fleet of one account in one region, kept in memory and fresh with the cheapest calls that suffice (see
 * docs/architecture.md, "The watcher"): DescribeEvents every few seconds (every second while busy), Describe* of
 * what the events name, a full describe every few minutes as a safety net, CloudWatch health within the budget
 * and tags in one paged GetResources. Every viewer reads this one state.
 */
export class RegionWatcher {
  readonly key: WatcherKey;
  private readonly config: WatcherConfig;
  private groups = new Map<string, Cache>();
  private clusters = new Map<string, Cache>();
  private serverless = new Map<string, Cache>();
  private tags = new Map<string, Record<string, string>>();
  private readonly points = new PointStore(keepPointsMs);
  /** Roles from failover events, newer than any describe that could confirm them (cluster mode enabled never does). */
  private eventRoles = new Map<string, EventRole>();
  private readonly problems = new Map<string, AwsProblem>();
  private recentEvents: WatchedEvent[] = [];
  private seenEvents = new Map<string, number>();
  private newestEventAt: number | null = null;
  /** Where this instance's last successful event poll ended (null until it polled: after a takeover, the newest event). */
  private polledEventsUpTo: number | null = null;
  /** A tick (an event poll) is under way: a schedule() meanwhile only asks for the next one sooner. */
  private ticking = false;
  private soonestNextTick: number | null = null;
  private readonly listeners = new Set<(change: WatcherChange) => void>();
  private readonly looks = new Map<string, number>();
  private readonly history = new Map<string, { at: number; series: Promise<Map<string, MetricSeries>> }>();
  private readonly capacityRead: CapacityRead;
  /** Monthly costs, re-priced per cache whose priced inputs changed (lib/cost/fleet-costs.ts). */
  readonly costs: FleetCosts;
  /** Reservations, serverless usage and prices: read by the leader, applied everywhere from its records. */
  private readonly costRead: CostRead;
  /**
   * Each cache's summary and health plan, kept by what each describe changed: a failover's describe of one group
   * rebuilds that group's, not the region's (at 1,100 caches a whole rebuild took over a second of the event loop).
   */
  private partsById = new Map<string, Part>();
  /** Member cache cluster ids of each replication group: a group's part is built from its own members only. */
  private membersOf = new Map<string, Set<string>>();
  /** Bumped when points, tags or a history read change what every cache's health or tags are judged from. */
  private version = 0;
  private busyUntil = 0;
  private lastLookedAt: number;
  private state: WatcherStatus["state"] = "warming";
  private timer: NodeJS.Timeout | null = null;
  private nextTickAt = 0;
  private readonly running = new Set<string>();
  private readonly last: WatcherStatus["last"] = { events: null, describe: null, fleetRead: null, closeRead: null, tags: null, alarms: null };
  private readonly next: WatcherStatus["next"] = { describe: null, fleetRead: null, closeRead: null, tags: null, alarms: null };
  private alarms: { list: ExistingAlarm[]; index: Map<string, ExistingAlarm[]> } = { list: [], index: new Map() };
  /** Alarm state changes of the last few hours, oldest first: markers on the charts. */
  private alarmTransitions: AlarmTransition[] = [];
  private dirty = { all: false, groups: new Set<string>(), clusters: new Set<string>(), serverless: new Set<string>() };
  private readonly warm: Promise<void>;
  private warmed: () => void = () => undefined;
  private tagsFromEachCache = false;
  /** A tags refresh under way: the pages read so far and the token of the next one. */
  private tagRound: { token: string | undefined; tags: ResourceTags[]; pages: number; startedAt: number } | null = null;
  /** Pages the last whole round took: the next round spreads that many over its period. */
  private tagPagesPerRound = 1;
  private readonly tagsEveryMs: number;
  /** The safety-net describe's period (tests shorten it to watch several). */
  private readonly describeEveryMs: number;
  private readonly budgetShare: () => number;
  /** Where in their periods this watcher's fleet-wide reads and full describes fall (0–1), so regions take turns. */
  private readonly phase: () => number;
  /** The timer's full describe is due (paced: see describeAll). */
  private fullDescribeDue = false;
  private stopped = false;
  private leading: boolean;
  private readonly shared: boolean;
  /** Where a leader's records go (relay.ts); null without a shared database. */
  publish: ((record: WatcherRecord) => void) | null = null;
  /** Where a leader's snapshots go (relay.ts writes `snapshotRows()` when its turn in the log comes). */
  publishSnapshot: (() => void) | null = null;
  /** Where a follower's hints go (to the leader, through relay.ts). */
  forward: ((hint: WatcherHint) => void) | null = null;

  /**
   * `follow`: another app instance may lead this watcher (a shared database); it calls AWS only once `lead()` says
   * this instance holds the lease, and until then applies the leader's records. `tagsEveryMs`: tests shorten the
   * tags period to watch a whole round.
   */
  constructor(key: WatcherKey, config: WatcherConfig, now = Date.now(), options: { follow?: boolean; tagsEveryMs?: number; describeEveryMs?: number; budgetShare?: () => number; phase?: () => number } = {}) {
    this.key = key;
    this.config = config;
    this.budgetShare = options.budgetShare ?? (() => 1);
    this.phase = options.phase ?? (() => 0);
    this.tagsEveryMs = options.tagsEveryMs ?? tagsEveryMs;
    this.describeEveryMs = options.describeEveryMs ?? fullDescribeEveryMs;
    this.lastLookedAt = now;
    this.shared = options.follow ?? false;
    this.leading = !this.shared;
    this.warm = new Promise((resolve) => (this.warmed = resolve));
    this.costs = new FleetCosts(key);
    this.capacityRead = new CapacityRead(key, (read, error) => {
      this.problem("capacity", error);
      this.commit({ type: "capacity", at: read.at, read });
    });
    this.costRead = new CostRead(key, (read) => this.commit({ type: "cost", at: read.at, read }));
    if (this.leading) void asSharedReader("watcher", () => this.warmUp());
  }

  private get region(): string {
    return this.key.region;
  }

  /** This watcher's part of the budget: what its reads are scheduled within. */
  private get budget() {
    return { usdPerDay: this.config.budgetUsdPerDay * this.budgetShare(), pricePer1000Metrics: this.config.pricePer1000Metrics };
  }

  /** The instance's whole budget: today's spend of every watcher together stops the reads once it reaches this. */
  private get wholeBudget() {
    return { usdPerDay: this.config.budgetUsdPerDay, pricePer1000Metrics: this.config.pricePer1000Metrics };
  }

  private fleetMetricsMemo = { version: -1, count: 0 };

  /** Metrics the fleet-wide health read asks for (what this watcher's share of the budget is weighed by). */
  fleetMetricCount(): number {
    if (this.fleetMetricsMemo.version !== this.version) this.fleetMetricsMemo = { version: this.version, count: this.requestsFor(null).length };
    return this.fleetMetricsMemo.count;
  }

  /** Whether it reads metrics at all now (an idle watcher does not, so it takes no share of the budget). */
  get readsMetrics(): boolean {
    return !this.stopped && this.state !== "idle";
  }

  /** A page or a stream needs this watcher: keeps it (or starts it again) from idling. */
  touch(now = Date.now()): void {
    this.lastLookedAt = now;
    if (!this.leading) return this.forward?.({ kind: "touch" });
    if (this.state === "idle" && !this.stopped) {
      this.state = "running";
      this.dirty.all = true;
      this.schedule(0);
    }
  }

  /** Someone has this cache's page open: it gets closer metric reads and faster event polling. */
  look(id: string, now = Date.now()): void {
    this.touch(now);
    this.looks.set(id, now + lookLastsMs);
    if (!this.leading) return this.forward?.({ kind: "look", id });
    // A calm poll already planned would keep the new viewer waiting for its first news.
    if (this.nextTickAt > now + this.config.busyEventPollMs) this.schedule(this.config.busyEventPollMs);
  }

  /** An operation was just sent (or a drill runs) on this cache: poll events busy and describe it at once. */
  expectChange(id: string, now = Date.now()): void {
    this.touch(now);
    this.busyUntil = now + busyForMs;
    if (!this.leading) return this.forward?.({ kind: "expect", id });
    if (this.groups.has(id)) this.dirty.groups.add(id);
    else if (this.clusters.has(id)) this.dirty.clusters.add(id);
    else this.dirty.all = true;
    this.schedule(0);
  }

  subscribe(listener: (change: WatcherChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits up to `waitMs` for the first reads; a region still warming after that is reported as not ready. */
  async ready(waitMs: number): Promise<boolean> {
    if (this.state !== "warming") return true;
    let timeout: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timeout = setTimeout(() => resolve(false), waitMs)));
    const done = await Promise.race([this.warm.then(() => true), late]);
    clearTimeout(timeout);
    return done;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state = "idle";
  }

  /** Whether anyone on this instance listens (an open push stream): a follower keeps the leader watching for them. */
  get listened(): boolean {
    return this.listeners.size > 0;
  }

  // ---- the lease ------------------------------------------------------------------------------------------------

  /**
   * This instance now holds the watcher's lease: it calls AWS from here on. A follower that already has the old
   * leader's state carries on from it (a full describe first, metrics from where their points end); one that has
   * nothing yet warms up as a first watcher does.
   */
  lead(): void {
    if (this.leading || this.stopped) return;
    this.leading = true;
    if (this.state === "warming") {
      void asSharedReader("watcher", () => this.warmUp());
      return;
    }
    this.state = "running";
    this.dirty.all = true;
    this.publishSnapshot?.();
    this.schedule(0);
  }

  /** Another instance leads (or the lease was lost with its connection): stop calling AWS, apply its records. */
  follow(): void {
    if (!this.leading || !this.shared) return;
    this.leading = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get isLeading(): boolean {
    return this.leading;
  }

  /** A record the leader applied (through relay.ts), applied here the same way; ignored while this instance leads. */
  replay(record: Exclude<WatcherRecord, SnapshotHead>): void {
    if (this.leading || this.stopped) return;
    this.apply(record);
    this.adopt(record.meta);
  }

  /**
   * The leader's snapshot with its points (decoded from its parts). Summarizing 1,100 caches at once blocked the event
   * loop for 100–350 ms on a loaded machine, and decoding the capacity read 117 ms, so everything is prepared a slice
   * at a time beside the live state (`stageSnapshot`), `turn` handing the loop back between slices, and swapped in at
   * once: pages see the old state or the new.
   */
  async replaySnapshot(record: SnapshotHead, points: DecodedPoints[], turn: () => Promise<void>): Promise<void> {
    const staged = await this.stageSnapshot(record.state, points, turn);
    if (this.leading || this.stopped) return;
    this.applySnapshot(staged);
    this.adopt(record.meta);
  }

  /** Everything a snapshot's swap-in assigns, built in slices; and which caches' summaries it changes. */
  private async stageSnapshot(state: WatcherSnapshot, points: DecodedPoints[], turn: () => Promise<void>): Promise<StagedSnapshot> {
    const byId = (items: Cache[]) => new Map(items.flatMap((item) => (item.id ? [[item.id, item] as const] : [])));
    const topology: Topology = { groups: byId(state.groups), clusters: byId(state.clusters), serverless: byId(state.serverless), membersOf: new Map() };
    for (const c of topology.clusters.values()) if (c.replicationGroupId) memberSet(topology.membersOf, c.replicationGroupId).add(c.id);
    await turn();
    const parts = new Map<string, Part>();
    let built = 0;
    for (const id of [...topology.groups.keys(), ...topology.clusters.keys(), ...topology.serverless.keys()]) {
      const part = partOf(id, topology, this.key);
      if (part) parts.set(id, part);
      if (++built % snapshotSummariesPerTurn === 0) await turn();
    }
    const capacity = state.capacity ? { record: state.capacity, series: await decodeInTurns(state.capacity, turn) } : null;
    const held = new Map<string, HeldMinutes>();
    for (const part of points) {
      for (const [id, minutes] of part) held.set(id, minutes);
      await turn();
    }
    const compared = new Map(this.partsById);
    const differ = new Set<string>();
    let judged = 0;
    for (const id of new Set([...compared.keys(), ...parts.keys()])) {
      if (summaryDiffers(compared.get(id), parts.get(id))) differ.add(id);
      if (++judged % snapshotSummariesPerTurn === 0) await turn();
    }
    const alarms = state.alarms ?? [];
    return {
      topology,
      parts,
      compared,
      differ,
      tags: new Map(state.tags),
      points: held,
      eventRoles: new Map(state.eventRoles),
      recentEvents: state.recentEvents,
      seenEvents: new Map(state.recentEvents.map((e) => [eventKey(e), e.t])),
      newestEventAt: state.newestEventAt,
      alarms: { list: alarms, index: indexAlarms(alarms) },
      transitions: state.transitions ?? [],
      capacity,
      cost: state.cost,
    };
  }

  /** The leader's schedule and problems after a record, shown as this follower's; the first one after warming up readies it. */
  private adopt(meta: WatcherMeta): void {
    const wasWarming = this.state === "warming";
    this.problems.clear();
    for (const problem of meta.problems) this.problems.set(problem.what, problem);
    Object.assign(this.last, meta.last);
    Object.assign(this.next, meta.next);
    this.busyUntil = meta.busyUntil;
    this.state = meta.state;
    if (wasWarming && this.state !== "warming") {
      this.warmed();
      this.emit({ type: "caches", region: this.region, ids: [...this.parts().keys()] });
    }
  }

  /** Applies a change to this instance's state and, when leading, hands it to the followers. */
  private commit(record: WatcherChangeRecord): void {
    this.apply(record);
    // While warming up, the snapshot at its end carries everything at once.
    if (this.leading && this.state !== "warming") this.publish?.({ ...record, meta: this.meta() });
  }

  /** A read every cache's summary depends on came in (capacity, cost inputs, prices): judge them again, tell the pages. */
  private recompute(): void {
    this.version += 1;
    this.emit({ type: "caches", region: this.region, ids: [...this.parts().keys()] });
  }

  private meta(): WatcherMeta {
    return { state: this.state, problems: [...this.problems.values()], last: { ...this.last }, next: { ...this.next }, busyUntil: this.busyUntil };
  }

  private apply(record: WatcherChangeRecord): void {
    switch (record.type) {
      case "events":
        return this.applyEvents(record);
      case "describe":
        return this.applyDescribe(record);
      case "tags":
        return this.applyTags(record);
      case "points":
        return this.applyPoints(record);
      case "alarms":
        return this.applyAlarms(record);
      case "capacity":
        this.capacityRead.apply(record.read);
        // A failed read changes nothing shown.
        if (record.read.series) this.recompute();
        return;
      case "cost":
        this.costRead.apply(record.read);
        return this.recompute();
      case "meta":
        return;
    }
  }

  /**
   * The whole state, for a follower to start from; published after warming up, on taking over and when the log
   * outgrows the last one. The state is taken now: the head's few kB encoded, the lists of caches and tags copied
   * (./snapshot-parts.ts encodes them part by part later). Each part is encoded when the relay asks for it, between
   * its writes, so the event loop is handed back between parts. A part of points encoded later may hold points
   * applied after `at`: the records carrying them follow the snapshot in the log and a follower applies them again,
   * which changes nothing (a merge sets the same values; see relay.ts).
   */
  snapshotRows(): SnapshotRows {
    const ids = this.points.ids();
    const points = Array.from({ length: Math.ceil(ids.length / metricsPerSnapshotPart) }, (_, i) => {
      const slice = ids.slice(i * metricsPerSnapshotPart, (i + 1) * metricsPerSnapshotPart);
      return () => this.points.encode(slice);
    });
    const state: WatcherSnapshot = {
      groups: [...this.groups.values()],
      clusters: [...this.clusters.values()],
      serverless: [...this.serverless.values()],
      tags: [...this.tags],
      eventRoles: [...this.eventRoles],
      recentEvents: this.recentEvents,
      newestEventAt: this.newestEventAt,
      alarms: this.alarms.list,
      transitions: this.alarmTransitions,
      capacity: this.capacityRead.dump(),
      cost: this.costRead.dump(),
    };
    return snapshotRows({ type: "snapshot", at: Date.now(), state, meta: this.meta() }, points);
  }

  /** A staged snapshot swapped in: assignments only, but for the summaries of caches changed while it was staged. */
  private applySnapshot(staged: StagedSnapshot): void {
    const { differ, compared } = staged;
    // The summaries were compared with the live parts of then; a part changed since (none while the relay applies
    // records one after another) is compared again.
    const since = [...this.partsById].flatMap(([id, part]) => (compared.get(id) === part ? [] : [id]));
    for (const id of compared.keys()) if (!this.partsById.has(id)) since.push(id);
    for (const id of since) {
      if (summaryDiffers(this.partsById.get(id), staged.parts.get(id))) differ.add(id);
      else differ.delete(id);
    }
    ({ groups: this.groups, clusters: this.clusters, serverless: this.serverless, membersOf: this.membersOf } = staged.topology);
    this.partsById = staged.parts;
    this.tags = staged.tags;
    this.points.replace(staged.points);
    this.eventRoles = staged.eventRoles;
    this.recentEvents = staged.recentEvents;
    this.seenEvents = staged.seenEvents;
    this.newestEventAt = staged.newestEventAt;
    this.alarms = staged.alarms;
    this.alarmTransitions = staged.transitions;
    if (staged.capacity) this.capacityRead.apply(staged.capacity.record, staged.capacity.series);
    if (staged.cost) this.costRead.load(staged.cost);
    this.version += 1;
    if (differ.size > 0 && this.state !== "warming") this.emit({ type: "caches", region: this.region, ids: [...differ] });
  }

  // ---- the loop -------------------------------------------------------------------------------------------------

  private async warmUp(): Promise<void> {
    const now = Date.now();
    this.last.events = now;
    // Events first, so the newest one seen is known before the describe that it might otherwise race. Only the newest
    // page: the describe that follows is the state, older events would only be history (a fleet created within the
    // hour is thousands of them), and the polls after this one start from here.
    await this.pollEvents(now - recentEventsMs, false, true);
    await this.describeAll();
    await Promise.all([this.refreshTags(true), this.readHealth("fleet"), this.refreshAlarms()]);
    this.next.tags = Date.now() + spreadOffsetMs(`${this.key.account}/${this.region}`, this.tagsEveryMs);
    this.next.describe = this.nextDescribeSlot(Date.now());
    if (this.stopped || !this.leading) return;
    this.state = "running";
    this.warmed();
    this.emit({ type: "caches", region: this.region, ids: [...this.parts().keys()] });
    this.publishSnapshot?.();
    this.schedule(this.eventPollMs());
  }

  private busy(now = Date.now()): boolean {
    if (now < this.busyUntil) return true;
    return [...this.parts().values()].some((p) => p.summary.status !== "available" || p.summary.activity.length > 0);
  }

  private eventPollMs(): number {
    const looked = [...this.looks.values()].some((until) => until > Date.now());
    // Someone watching a cache page wants a failover within 2 s (DescribeEvents is not billed).
    return eventPollIntervalMs(this.busy(), looked, this.config.eventPollMs, this.config.busyEventPollMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || !this.leading || this.state === "warming") return;
    // One polling loop per watcher: a second timer set while a poll awaits AWS would start a second loop.
    if (this.ticking) {
      this.soonestNextTick = Math.min(this.soonestNextTick ?? Infinity, Date.now() + delayMs);
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.nextTickAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void asSharedReader("watcher", () => this.tick()), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.leading) return;
    const now = Date.now();
    // An open push stream is someone looking, even when nothing changes for a long time.
    if (this.listeners.size === 0 && now - this.lastLookedAt > this.config.idleAfterMs) {
      this.state = "idle";
      this.commit({ type: "meta", at: now });
      return;
    }
    this.ticking = true;
    try {
      const from = this.polledEventsUpTo ?? this.newestEventAt;
      await this.pollEvents(from === null ? now - recentEventsMs : from - eventOverlapMs, true);
    } finally {
      this.ticking = false;
    }
    const polledIn = Date.now() - now;
    if (this.next.describe !== null && now >= this.next.describe) this.fullDescribeDue = true;
    // Describes run beside the event polling too: during a failover a describe can take seconds, and the failover's
    // completion event must not wait behind it.
    this.background("describe", () => this.describeDirty());
    if (this.next.tags !== null && now >= this.next.tags) this.background("tags", () => this.refreshTags(false));
    if (this.next.alarms !== null && now >= this.next.alarms) this.background("alarms", () => this.refreshAlarms());
    // Apart, so a paced fleet-wide read (tens of seconds) does not hold back the close reads of caches people watch.
    if (this.next.fleetRead !== null && now >= this.next.fleetRead) this.background("fleet health", () => this.readHealth("fleet"));
    if (this.next.closeRead !== null && now >= this.next.closeRead) this.background("close health", () => this.readHealth("close"));
    // The interval runs from this poll's start: a slow DescribeEvents (a loaded endpoint) does not stretch it. Sooner
    // if an operation or a viewer asked for it during the poll.
    const asked = this.soonestNextTick;
    this.soonestNextTick = null;
    const interval = Math.max(0, this.eventPollMs() - polledIn);
    this.schedule(asked === null ? interval : Math.min(interval, Math.max(0, asked - Date.now())));
  }

  /** Waits `ms` between two pages of a paced background read while `still()` holds; a stopping watcher does not wait. */
  private async pause(ms: number, still: () => boolean): Promise<void> {
    if (this.stopped || !still()) return;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Slow reads (metrics, tags, describes) run beside the event loop so none of them delays a failover's news. */
  private background(name: string, work: () => Promise<void>): void {
    if (this.running.has(name)) return;
    this.running.add(name);
    void asSharedReader("watcher", work).finally(() => this.running.delete(name));
  }

  private emit(change: WatcherChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        console.error("cachedeck: a watcher listener failed", error);
      }
    }
  }

  private problem(what: string, error: unknown | null): void {
    if (error === null) this.problems.delete(what);
    else this.problems.set(what, toProblem(error, this.key, what));
  }

  // ---- events ---------------------------------------------------------------------------------------------------

  private async pollEvents(since: number, react: boolean, newestPageOnly = false): Promise<void> {
    const now = Date.now();
    let fresh: WatchedEvent[];
    try {
      // A page of events all seen before means the older ones were seen too (late ones land among the newest).
      const olderKnown = (page: CacheEvent[]) => page.length > 0 && page.every((e) => this.seenEvents.has(eventKey(toWatched(e))));
      const events = await describeEvents(this.key, { start: new Date(since), end: new Date(now), newestPageOnly, olderKnown });
      this.problem("events", null);
      this.polledEventsUpTo = now;
      fresh = events.map(toWatched).filter((e) => !this.seenEvents.has(eventKey(e)));
    } catch (error) {
      this.problem("events", error);
      return;
    } finally {
      this.last.events = now;
    }
    if (fresh.length === 0) return;
    this.commit({ type: "events", at: now, events: fresh, react });
  }

  private applyEvents({ at: now, events: fresh, react }: { at: number; events: WatchedEvent[]; react: boolean }): void {
    for (const e of fresh) {
      this.seenEvents.set(eventKey(e), e.t);
      this.newestEventAt = Math.max(this.newestEventAt ?? 0, e.t);
    }
    for (const [key, t] of this.seenEvents) if (t < now - recentEventsMs - eventOverlapMs) this.seenEvents.delete(key);
    this.recentEvents = [...fresh, ...this.recentEvents].sort((a, b) => b.t - a.t).filter((e) => e.t >= now - recentEventsMs).slice(0, maxRecentEvents);
    const effects = eventEffects(fresh, this.known());
    for (const move of effects.roles) this.applyRoleMove(move, now, react);
    if (!react) return;
    this.busyUntil = now + busyForMs;
    this.dirty.all ||= effects.describeAll;
    effects.groups.forEach((id) => this.dirty.groups.add(id));
    effects.clusters.forEach((id) => this.dirty.clusters.add(id));
    effects.serverless.forEach((id) => this.dirty.serverless.add(id));
    this.emit({ type: "events", region: this.region, events: fresh.map(toEventView).sort((a, b) => b.t - a.t) });
  }

  private known() {
    const clusters = new Map<string, string | null>();
    for (const c of this.clusters.values()) clusters.set(c.id, c.replicationGroupId);
    return { groups: new Set(this.groups.keys()), clusters, serverless: new Set(this.serverless.keys()) };
  }

  private applyRoleMove(move: RoleMove, heardAt: number, react: boolean): void {
    const older = (id: string) => (this.eventRoles.get(id)?.t ?? -Infinity) <= move.t;
    if (older(move.toPrimary)) this.eventRoles.set(move.toPrimary, { role: "primary", t: move.t, heardAt });
    if (older(move.fromPrimary)) this.eventRoles.set(move.fromPrimary, { role: "replica", t: move.t, heardAt });
    if (react && move.group) {
      this.emit({ type: "roles", region: this.region, group: move.group, roles: { [move.toPrimary]: "primary", [move.fromPrimary]: "replica" } });
    }
  }

  /** Roles of a group's members as AWS last reported them: a failover event newer than the describe wins. */
  roles(group: string): Map<string, NodeRoleUpdate> {
    const roles = new Map<string, NodeRoleUpdate>();
    for (const node of this.groups.get(group)?.nodes ?? []) {
      const moved = this.eventRoles.get(node.cacheClusterId);
      if (moved) roles.set(node.cacheClusterId, moved.role);
      else if (node.role === "primary" || node.role === "replica") roles.set(node.cacheClusterId, node.role);
    }
    return roles;
  }

  /** The last hour's events of the given sources, newest first. */
  events(sources: Set<string>): EventView[] {
    return this.recentEvents.filter((e) => sources.has(e.source)).map(toEventView);
  }

  // ---- describe -------------------------------------------------------------------------------------------------

  /** The safety net's next slot after a whole-region describe that started or ended at `at`. */
  private nextDescribeSlot(at: number): number {
    return nextSlotMs(at + this.describeEveryMs / 2, this.describeEveryMs, this.phase());
  }

  /**
   * Every cache of the region. `paced`: the timer's safety-net re-read, whose pages go out one every
   * fullDescribePageGapMs (a region of 1,000 caches is 47 pages: a burst of them every 10 minutes otherwise) — until
   * an event or an operation needs the state, when the rest follow at once.
   */
  private async describeAll(paced = false): Promise<void> {
    this.dirty = { all: false, groups: new Set(), clusters: new Set(), serverless: new Set() };
    this.fullDescribeDue = false;
    // Moved on now, not when the answer is in: a paced describe takes a minute, and every tick meanwhile would find the
    // timer still due and run the whole describe again right after it (each safety-net describe ran twice).
    this.next.describe = this.nextDescribeSlot(Date.now());
    const between = () => this.pause(fullDescribePageGapMs, () => paced && !this.busy() && !this.hasDirty());
    const [groups, clusters, serverless] = await Promise.allSettled([
      describeReplicationGroups(this.key, undefined, { between }),
      describeCacheClusters(this.key, {}, { between }),
      describeServerlessCaches(this.key),
    ]);
    const answered = <T>(result: PromiseSettledResult<T[]>, what: string): T[] | null => {
      this.problem(what, result.status === "rejected" ? result.reason : null);
      return result.status === "fulfilled" ? result.value : null;
    };
    this.commit({
      type: "describe",
      at: Date.now(),
      full: true,
      groups: answered(groups, "replication groups"),
      clusters: answered(clusters, "cache clusters"),
      serverless: answered(serverless, "serverless caches"),
      gone: [],
      confirm: [],
    });
  }

  private hasDirty(): boolean {
    const { all, groups, clusters, serverless } = this.dirty;
    return all || groups.size + clusters.size + serverless.size > 0;
  }

  private async describeDirty(): Promise<void> {
    const { all, groups, clusters, serverless } = this.dirty;
    if (all || groups.size + clusters.size + serverless.size > targetedDescribeLimit) return this.describeAll();
    if (groups.size + clusters.size + serverless.size === 0) return this.fullDescribeDue ? this.describeAll(true) : undefined;
    this.dirty = { all: false, groups: new Set(), clusters: new Set(), serverless: new Set() };
    const startedAt = Date.now();
    const found = { groups: [] as Cache[], clusters: [] as Cache[], serverless: [] as Cache[], gone: [] as string[] };
    const gone = (error: unknown) => isNotFound(error);
    await Promise.all([
      ...[...groups].map(async (id) => {
        try {
          const [group] = await describeReplicationGroups(this.key, id);
          // A member's node status moves during failovers and replacements; the group's answer does not carry it.
          const members = await Promise.all(group.nodes.map((n) => describeCacheClusters(this.key, { id: n.cacheClusterId }).catch((e) => (gone(e) ? [] : Promise.reject(e)))));
          found.groups.push(group);
          found.clusters.push(...members.flat());
        } catch (error) {
          if (gone(error)) found.gone.push(id);
          else this.dirty.groups.add(id);
        }
      }),
      ...[...clusters].map(async (id) => {
        try {
          found.clusters.push(...(await describeCacheClusters(this.key, { id })));
        } catch (error) {
          if (gone(error)) found.gone.push(id);
          else this.dirty.clusters.add(id);
        }
      }),
      ...[...serverless].map(async (name) => {
        try {
          found.serverless.push(...(await describeServerlessCaches(this.key, name)));
        } catch (error) {
          if (gone(error)) found.gone.push(name);
          else this.dirty.serverless.add(name);
        }
      }),
    ]);
    this.commit({ type: "describe", at: Date.now(), full: false, ...found, confirm: found.groups.map((g) => g.id), startedAt });
  }

  /**
   * A describe's answers into the state: a full one replaces each kind that answered, a targeted one sets what it
   * read and drops what AWS no longer knows (`gone` ids, of any kind).
   */
  private applyDescribe(record: Extract<WatcherChangeRecord, { type: "describe" }>): void {
    // The caches whose parts the record touches (a cluster's owner is its group, or itself when standalone); a full
    // describe touches them all.
    const touched = new Set<string>();
    const owner = (c: Cache | undefined) => c && touched.add(c.replicationGroupId ?? c.id);
    if (!record.full) {
      for (const g of record.groups ?? []) touched.add(g.id);
      for (const c of record.clusters ?? []) {
        const old = this.clusters.get(c.id);
        [old, c].forEach(owner);
        if (old?.replicationGroupId === c.replicationGroupId) continue;
        if (old?.replicationGroupId) this.membersOf.get(old.replicationGroupId)?.delete(c.id);
        if (c.replicationGroupId) memberSet(this.membersOf, c.replicationGroupId).add(c.id);
      }
      for (const s of record.serverless ?? []) touched.add(s.id);
      for (const id of record.gone) {
        const old = this.clusters.get(id);
        touched.add(id);
        owner(old);
        if (old?.replicationGroupId) this.membersOf.get(old.replicationGroupId)?.delete(id);
      }
    }
    const before = record.full ? new Map(this.partsById) : new Map([...touched].flatMap((id) => (this.partsById.has(id) ? [[id, this.partsById.get(id)!] as const] : [])));
    const put = (map: Map<string, Cache>, items: Cache[] | null) => {
      if (items === null) return;
      if (record.full) map.clear();
      for (const item of items) if (item.id) map.set(item.id, item);
    };
    put(this.groups, record.groups);
    put(this.clusters, record.clusters);
    put(this.serverless, record.serverless);
    for (const id of record.gone) {
      this.groups.delete(id);
      this.clusters.delete(id);
      this.serverless.delete(id);
    }
    this.rebuildParts(record.full ? null : touched);
    for (const id of record.confirm) {
      const group = this.groups.get(id);
      if (group) this.confirmRoles(group, record.startedAt ?? record.at);
    }
    this.last.describe = record.at;
    if (record.full) this.next.describe = this.nextDescribeSlot(record.at);
    this.changed(before, record.full ? null : touched);
  }

  /**
   * A describe that reports member roles (cluster mode disabled) is the truth about what was so when it was sent: event
   * roles heard before that go. One heard since stays: during a failover a describe sent before the promotion can be
   * answered, and applied, after the completion event (it would put the old primary back on every page until the next
   * describe). The event marked the group for describing again, and that describe confirms it.
   */
  private confirmRoles(group: Cache, describeSentAt: number): void {
    const reported = group.clusterMode ? [] : group.nodes.filter((n) => n.role === "primary" || n.role === "replica");
    if (reported.length === 0) return;
    for (const n of reported) if ((this.eventRoles.get(n.cacheClusterId)?.heardAt ?? -Infinity) < describeSentAt) this.eventRoles.delete(n.cacheClusterId);
    const roles = this.roles(group.id);
    this.emit({
      type: "roles",
      region: this.region,
      group: group.id,
      roles: Object.fromEntries(reported.map((n) => [n.cacheClusterId, roles.get(n.cacheClusterId) ?? (n.role as NodeRoleUpdate)])),
    });
  }

  /** Tells listeners which caches' summaries differ from `before`: among `touched`, or all when null. */
  private changed(before: Map<string, Part>, touched: Set<string> | null = null): void {
    const after = this.partsById;
    const ids = touched ?? new Set([...before.keys(), ...after.keys()]);
    const differ = [...ids].filter((id) => summaryDiffers(before.get(id), after.get(id)));
    if (differ.length > 0 && this.state !== "warming") this.emit({ type: "caches", region: this.region, ids: differ });
  }

  /**
   * Rebuilds the parts of these caches (ids of any kind; one AWS no longer knows goes), or of all when null (then the
   * member index too; a targeted describe keeps it up to date as it applies its clusters).
   */
  private rebuildParts(ids: Set<string> | null): void {
    if (ids === null) {
      this.partsById.clear();
      this.membersOf.clear();
      for (const c of this.clusters.values()) if (c.replicationGroupId) memberSet(this.membersOf, c.replicationGroupId).add(c.id);
      ids = new Set([...this.groups.keys(), ...this.clusters.keys(), ...this.serverless.keys()]);
    }
    const live: Topology = { groups: this.groups, clusters: this.clusters, serverless: this.serverless, membersOf: this.membersOf };
    for (const id of ids) {
      const part = partOf(id, live, this.key);
      if (part) this.partsById.set(id, part);
      else this.partsById.delete(id);
    }
  }

  /** Summaries and health plans of every cache, as the describes so far left them. */
  private parts(): Map<string, Part> {
    return this.partsById;
  }

  /** The replication group or standalone cache cluster by this id (a member's id names its group), or null. */
  find(id: string): Cache | null {
    const cluster = this.clusters.get(id);
    return this.groups.get(id) ?? (cluster?.replicationGroupId ? (this.groups.get(cluster.replicationGroupId) ?? null) : (cluster ?? null));
  }

  /**
   * Capacity forecasts of the region's caches and rightsizing of its Redis / Valkey node-based ones, by id: from the capacity read
   * shared by every viewer (./capacity-read.ts); null while the first read is under way.
   */
  capacity(now = Date.now()): Map<string, CacheCapacity> | null {
    if (this.state === "warming") return null;
    // The node-based caches as their parts hold them: joining every group's members again here took 10-60 ms at
    // 1,100 caches on every change (the failover path).
    const caches = [...this.partsById.values()].map((p) => p.cache);
    return this.capacityRead.get(caches, this.leading, now);
  }

  /** For /spend: the reservations this watcher holds, when its region's prices were read and what failed reading. */
  costInputs(): ReturnType<CostRead["held"]> {
    return this.costRead.held();
  }

  /** The serverless cache by this name, or null. */
  findServerless(name: string): Cache | null {
    return this.serverless.get(name) ?? null;
  }

  /** The region's cache clusters as last described (a group's page needs its members). */
  cacheClusters(): Cache[] {
    return [...this.clusters.values()];
  }

  /** True once the first full describe answered (a page may trust `find` saying "no such cache"). */
  get described(): boolean {
    return this.last.describe !== null && !this.problems.has("replication groups") && !this.problems.has("cache clusters");
  }

  // ---- tags -----------------------------------------------------------------------------------------------------

  /**
   * One step of a tags refresh: the round's next GetResources page, or every page when `whole` (the first read: pages
   * wait for it). A round's tags are applied together once its last page is in, so a tag nobody removed never
   * blinks out mid-round; between pages the next one waits `tagPageGapMs`, so a refresh is never a burst.
   */
  private async refreshTags(whole: boolean): Promise<void> {
    const round = (this.tagRound ??= { token: undefined, tags: [], pages: 0, startedAt: Date.now() });
    try {
      if (this.tagsFromEachCache) round.tags = [...(await this.tagsOneByOne())];
      else {
        do {
          const page = await getTagsPage(this.key, round.token);
          round.tags.push(...page.tags);
          round.pages += 1;
          round.token = page.next;
        } while (whole && round.token);
      }
      this.problem("tags", null);
    } catch (error) {
      this.tagRound = null;
      if (!this.tagsFromEachCache && error instanceof AwsError && (error.kind === "service" || error.kind === "invalid-request")) {
        // An endpoint without the Tagging API (an older emulator): fall back to ListTagsForResource, a few at a time.
        this.tagsFromEachCache = true;
        return this.refreshTags(whole);
      }
      this.problem("tags", error);
      return this.commit({ type: "tags", at: Date.now(), tags: null });
    }
    if (round.token && !this.tagsFromEachCache) {
      this.next.tags = Date.now() + tagPageGapMs(this.tagsEveryMs, this.tagPagesPerRound);
      return;
    }
    this.tagRound = null;
    this.tagPagesPerRound = Math.max(1, round.pages);
    this.commit({ type: "tags", at: round.startedAt, tags: round.tags });
  }

  private applyTags(record: Extract<WatcherChangeRecord, { type: "tags" }>): void {
    const tagsBefore = this.tags;
    if (record.tags) this.tags = new Map(record.tags);
    this.last.tags = record.at;
    this.next.tags = record.at + this.tagsEveryMs;
    this.version += 1;
    // Summaries carry no tags (they are added per view), so the caches whose tags moved are named here.
    const moved = [...this.parts()].filter(([, p]) => p.summary.arn && JSON.stringify(tagsBefore.get(p.summary.arn) ?? {}) !== JSON.stringify(this.tags.get(p.summary.arn) ?? {}));
    if (moved.length > 0 && this.state !== "warming") this.emit({ type: "caches", region: this.region, ids: moved.map(([id]) => id) });
  }

  /** One cache's tags from the region's last tags read ({} when it has none), and why they are missing if none was read. */
  tagsOf(arn: string | null): KnownTags {
    return { tags: (arn && this.tags.get(arn)) || {}, problem: this.tags.size === 0 ? (this.problems.get("tags") ?? null) : null };
  }

  private async tagsOneByOne(): Promise<Map<string, Record<string, string>>> {
    const arns = [...this.parts().values()].flatMap((p) => (p.summary.arn ? [p.summary.arn] : []));
    const tags = new Map<string, Record<string, string>>();
    for (let i = 0; i < arns.length; i += 4) {
      const batch = arns.slice(i, i + 4);
      const answers = await Promise.all(batch.map((arn) => listTags(this.key, arn)));
      batch.forEach((arn, j) => tags.set(arn, answers[j]));
    }
    return tags;
  }

  // ---- alarms ---------------------------------------------------------------------------------------------------

  /** Recommended alarms were just created here: read the region's alarms at the next poll instead of within a minute. */
  expectAlarms(now = Date.now()): void {
    this.touch(now);
    if (!this.leading) return this.forward?.({ kind: "alarms" });
    this.next.alarms = now;
    this.schedule(0);
  }

  /**
   * The region's alarms in one paged DescribeAlarms; their history (one region-wide DescribeAlarmHistory) only when a
   * state moved since the last read, or on the first read for the hours the charts show.
   */
  private async refreshAlarms(): Promise<void> {
    const now = Date.now();
    const previous = this.last.alarms;
    let alarms: ExistingAlarm[] | null = null;
    let transitions: AlarmTransition[] = [];
    try {
      alarms = await describeElastiCacheAlarms(this.key);
      const since = previous === null ? now - keepPointsMs : previous - alarmHistoryOverlapMs;
      if (previous === null || alarms.some((a) => (a.stateUpdatedAt ?? 0) >= since)) {
        transitions = await describeAlarmTransitions(this.key, new Date(since));
      }
      this.problem("alarms", null);
    } catch (error) {
      this.problem("alarms", error);
    }
    this.commit({ type: "alarms", at: now, alarms, transitions });
  }

  private applyAlarms(record: Extract<WatcherChangeRecord, { type: "alarms" }>): void {
    this.last.alarms = record.at;
    this.next.alarms = record.at + alarmsEveryMs;
    if (record.alarms === null) return;
    const seen = new Set(this.alarmTransitions.map((t) => `${t.alarm}|${t.t}|${t.to}`));
    const fresh = record.transitions.filter((t) => !seen.has(`${t.alarm}|${t.t}|${t.to}`));
    this.alarmTransitions = [...this.alarmTransitions, ...fresh].filter((t) => t.t >= record.at - keepPointsMs).sort((a, b) => a.t - b.t);
    const before = JSON.stringify(this.alarms.list);
    this.alarms = { list: record.alarms, index: indexAlarms(record.alarms) };
    if (fresh.length === 0 && before === JSON.stringify(record.alarms)) return;
    this.version += 1;
    this.healthMemo = null;
    if (this.state !== "warming") this.emit({ type: "caches", region: this.region, ids: [...this.parts().keys()] });
  }

  /** Whether each recommended alarm of `cache` exists, from the last read; null before the first one answered. */
  alarmCoverageOf(cache: AlarmedCache): AlarmCoverage[] | null {
    if (this.last.alarms === null) return null;
    return alarmCoverage(cache, this.alarms.index);
  }

  /** "4 of 6" for the fleet row of a cache, from the last alarms read; null before the first one answered. */
  private alarmCountOf(summary: BareSummary): { present: number; recommended: number } | null {
    const cache = summary.kind === "serverless" ? this.serverless.get(summary.id) : this.find(summary.id);
    if (!cache) return null;
    // A group's describe lists every member node (cluster and node id): all the definitions need.
    const coverage = this.alarmCoverageOf(cache);
    return coverage && coverageCount(coverage);
  }

  /** State changes of the named alarms within the kept hours, oldest first. */
  alarmHistory(names: Set<string>): AlarmTransition[] {
    return this.alarmTransitions.filter((t) => names.has(t.alarm));
  }

  // ---- metrics --------------------------------------------------------------------------------------------------

  /** Caches that get closer reads: looked at, unhealthy or changing. */
  private closeIds(now = Date.now()): Set<string> {
    const ids = new Set<string>();
    for (const [id, until] of this.looks) {
      if (until > now) ids.add(id);
      else this.looks.delete(id);
    }
    for (const summary of this.summaries(null)) {
      if (summary.status !== "available" || summary.activity.length > 0 || summary.health.level === "warning" || summary.health.level === "critical") {
        ids.add(summary.id);
      }
    }
    return ids;
  }

  private requestsFor(ids: Set<string> | null): MetricRequest[] {
    const plans = [...this.parts()].filter(([id]) => ids === null || ids.has(id)).map(([, p]) => p.plan);
    return healthRequests(plans, metricGranularityMs / 1000);
  }

  /** One health read: every cache's metrics ("fleet") or the close set's, each from where its points end. */
  private async readHealth(which: "fleet" | "close"): Promise<void> {
    const now = Date.now();
    const requests = this.requestsFor(which === "fleet" ? null : this.closeIds(now));
    const fresh = new Map<string, MetricRequest>();
    const since = new Map<string, MetricRequest>();
    for (const r of requests) {
      const id = metricId(r);
      (this.points.lastRead(id) === null ? fresh : since).set(id, { ...r, key: id });
    }
    const oldestKept = now - keepPointsMs;
    const lastReads = [...since.keys()].map((id) => this.points.lastRead(id)!);
    const from = lastReads.length ? Math.max(oldestKept, Math.min(...lastReads) - readOverlapMs) : now;
    // The scheduled fleet-wide read paces its calls; the first one does not (pages wait for it), nor a stopping watcher.
    const paced = which === "fleet" && this.last.fleetRead !== null;
    const between = () => this.pause(fleetReadPairGapMs, () => paced);
    const readFresh = () => (fresh.size ? getMetricSeries(this.key, [...fresh.values()], { start: new Date(oldestKept), end: new Date(now) }, { between }) : new Map<string, MetricSeries>());
    const readSince = () => (since.size ? getMetricSeries(this.key, [...since.values()], { start: new Date(from), end: new Date(now) }, { between }) : new Map<string, MetricSeries>());
    let read: [string, MetricSeries][] = [];
    try {
      // Paced, one after the other: side by side the two halves' pairs went out together (15 calls in 10 s at 1,000 caches).
      const [a, b] = paced ? [await readFresh(), await readSince()] : await Promise.all([readFresh(), readSince()]);
      read = [...a, ...b];
      this.problem("metrics", null);
    } catch (error) {
      this.problem("metrics", error);
    }
    this.commit({ type: "points", at: now, which, series: read.map(([id, s]) => [id, s.timestamps, s.values]) });
  }

  private applyPoints({ at: now, which, series }: Extract<WatcherChangeRecord, { type: "points" }>): void {
    for (const [id, timestamps, values] of series) this.points.merge(id, { timestamps, values }, now);
    if (which === "fleet") {
      this.points.retain(new Set(this.requestsFor(null).map(metricId)));
      this.last.fleetRead = now;
    } else this.last.closeRead = now;
    this.planMetricReads(now);
    this.version += 1;
    this.emit({ type: "caches", region: this.region, ids: [...this.parts().keys()] });
  }

  private planMetricReads(now: number): void {
    const spent = metricsCostUsd(metricsRequestedToday(now), this.config.pricePer1000Metrics);
    const fleetEvery = fleetReadIntervalMs(this.fleetMetricCount(), this.budget);
    const closeRequests = this.requestsFor(this.closeIds(now)).length;
    const fleetSlot = nextSlotMs((this.last.fleetRead ?? now) + fleetEvery / 2, fleetEvery, this.phase());
    this.next.fleetRead = nextMetricReadAt(fleetSlot, spent, this.wholeBudget);
    this.next.closeRead = closeRequests === 0 ? null : nextMetricReadAt((this.last.closeRead ?? now) + closeReadIntervalMs(closeRequests, this.budget), spent, this.wholeBudget);
  }

  // ---- views ----------------------------------------------------------------------------------------------------

  /**
   * The last window's judged summaries: each cache's kept while its part is the same object (no describe touched it)
   * and the points, tags and window slot are unchanged, so a failover re-judges one cache, not the region.
   */
  private healthMemo: { key: string; byId: Map<string, { part: Part; summary: ClusterSummary }>; list: ClusterSummary[] | null } | null = null;

  /**
   * Every cache with health judged over `window` (its health resolution); null means the last hour, the window the
   * watcher judges "unhealthy" by. Ranges within the points kept come from memory; longer ones from a history read
   * shared by every viewer and repeated at most every ten minutes.
   */
  summaries(window: TimeWindow | null, now = Date.now()): ClusterSummary[] {
    const judged = healthWindow(window ?? { range: "1h", start: now - 3600_000, end: now, period: 60, label: "Last hour" }, now);
    const slot = Math.floor(now / metricGranularityMs);
    const memoKey = `${this.version}|${judged.range}|${judged.range === "custom" ? `${judged.start}-${judged.end}` : slot}`;
    if (this.healthMemo?.key !== memoKey) this.healthMemo = { key: memoKey, byId: new Map(), list: null };
    const memo = this.healthMemo;
    const parts = this.parts();
    const stale = [...parts].filter(([id, part]) => memo.byId.get(id)?.part !== part);
    if (memo.list && stale.length === 0 && memo.byId.size === parts.size) return memo.list;
    const series = stale.length ? this.seriesFor(stale.map(([, p]) => p.plan), judged) : null;
    const capacity = stale.length ? this.capacity(now) : null;
    for (const [id, part] of stale) {
      const { summary, plan } = part;
      const measured = series ? healthFromSeries(plan, series, judged) : null;
      const assessment = assessHealth(measured?.figures ?? null, summary.status);
      memo.byId.set(id, {
        part,
        summary: {
          ...summary,
          tags: (summary.arn && this.tags.get(summary.arn)) || {},
          health: { ...assessment, figures: measured?.figures ?? null, trends: measured?.trends ?? null },
          ...fillsUpOf(capacity?.get(summary.id)),
          alarms: this.alarmCountOf(summary),
        },
      });
    }
    for (const id of memo.byId.keys()) if (!parts.has(id)) memo.byId.delete(id);
    // Reserved nodes are drawn across caches, so costs are applied to the whole list; only changed caches are re-priced.
    const judgedList = [...parts.keys()].map((id) => memo.byId.get(id)!.summary);
    if (this.leading) this.costRead.readIfDue(judgedList, now);
    memo.list = this.costs.apply(judgedList, this.costRead.inputs(), now);
    return memo.list;
  }

  /** Series for these plans' health over `judged`: from memory, or from the region's history read for long ranges. */
  private seriesFor(plans: HealthPlan[], judged: TimeWindow): Map<string, MetricSeries> | null {
    if (judged.start >= Date.now() - keepPointsMs + judged.period * 1000) {
      if (this.last.fleetRead === null) return null;
      const periodMs = judged.period * 1000;
      return new Map(healthRequests(plans, judged.period).map((r) => [r.key, { ...this.points.series(metricId(r), r.stat, judged.start, judged.end, periodMs), key: r.key }]));
    }
    // One history read for the whole region, whichever caches are judged now: every viewer shares it.
    const requests = healthRequests([...this.parts().values()].map((p) => p.plan), judged.period);
    const historyKey = judged.range === "custom" ? `${judged.start}-${judged.end}` : judged.range;
    const held = this.history.get(historyKey);
    if (held && Date.now() - held.at < Math.max(historyTtlMs, judged.period * 1000)) return this.settledHistory(held.series);
    const read = getMetricSeries(this.key, requests, { start: new Date(judged.start), end: new Date(judged.end) });
    read.catch((error) => this.problem("metrics", error));
    this.history.set(historyKey, { at: Date.now(), series: read });
    for (const key of [...this.history.keys()].slice(0, Math.max(0, this.history.size - 8))) this.history.delete(key);
    return this.settledHistory(read);
  }

  private readonly settled = new WeakMap<Promise<Map<string, MetricSeries>>, Map<string, MetricSeries>>();
  private readonly awaited = new WeakSet<Promise<Map<string, MetricSeries>>>();

  /** The history read's answer once it is in; until then the page shows no health and the stream brings it. */
  private settledHistory(read: Promise<Map<string, MetricSeries>>): Map<string, MetricSeries> | null {
    const answer = this.settled.get(read);
    if (answer) return answer;
    if (this.awaited.has(read)) return null;
    this.awaited.add(read);
    void read.then((series) => {
      this.settled.set(read, series);
      this.version += 1;
      this.emit({ type: "caches", region: this.region, ids: [...this.parts().keys()] });
    }, () => undefined);
    return null;
  }

  /** What the fleet page shows for this region. */
  view(window: TimeWindow, now = Date.now()): RegionView {
    return {
      report: { ...this.key, loading: this.state === "warming", problems: [...this.problems.values()] },
      clusters: this.state === "warming" ? [] : this.summaries(window, now),
      ready: this.state !== "warming",
    };
  }

  status(viewers: number, now = Date.now()): WatcherStatus {
    const fleetMetrics = this.fleetMetricCount();
    const close = this.closeIds(now);
    const closeMetrics = this.requestsFor(close).length;
    const fleetEvery = fleetReadIntervalMs(fleetMetrics, this.budget);
    const closeEvery = closeReadIntervalMs(closeMetrics, this.budget);
    const price = this.config.pricePer1000Metrics;
    const capacityRead = this.capacityRead.status();
    return {
      key: this.key,
      state: this.state,
      lease: !this.shared ? "alone" : this.leading ? "leader" : "follower",
      busy: this.busy(now),
      caches: this.parts().size,
      metricsPerFleetRead: fleetMetrics,
      fleetReadEveryMs: fleetEvery,
      closeReadEveryMs: closeEvery,
      closeReadCaches: close.size,
      projectedUsdPerDay:
        dailyCostUsd(fleetMetrics, fleetEvery, price) +
        (closeMetrics ? dailyCostUsd(closeMetrics, closeEvery, price) : 0) +
        dailyCostUsd(capacityRead.metricsPerRead, capacityRead.everyMs, price),
      budgetUsdPerDay: this.budget.usdPerDay,
      eventPollEveryMs: this.eventPollMs(),
      capacityRead,
      last: { ...this.last },
      next: { ...this.next },
      viewers,
      lastLookedAt: this.lastLookedAt,
      problems: [...this.problems.values()],
    };
  }
}
