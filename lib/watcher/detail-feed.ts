import "server-only";
import { asSharedReader, type Cache } from "@/lib/aws";
import { alarmsView } from "@/lib/data/alarms";
import { clusterDetail, findCluster } from "@/lib/data/cluster";
import type { ClusterDetail } from "@/lib/data/model";
import { withRoles } from "@/lib/data/roles";
import { findServerlessCache, serverlessDetail } from "@/lib/data/serverless";
import { resolveTimeWindow } from "@/lib/data/time-range";
import { placeKey, type Place } from "@/lib/place";
import { detailFromLeader, watcherFor } from "./registry";
import type { RegionWatcher, WatcherChange } from "./region-watcher";
import type { DetailPage } from "./relay";
import { metricGranularityMs } from "./schedule";

// A cluster page's detail (nodes, charts, events) read once for everyone who has that page open with the same range
// and node focus, refreshed at the metrics' granularity (faster while the cluster changes) and at once when the
// region's watcher hears something about it. Viewers share every read: ten open tabs cost what one does. On an app
// instance that follows the region's watcher, the feed asks the leader for each read (relay.ts): a follower's cluster
// page makes no AWS call either.

export interface DetailTarget {
  segment: "clusters" | "serverless";
  place: Place;
  id: string;
  /** The page's range (range, from, to) and node focus (node). */
  params: Record<string, string>;
}

/** While a cluster changes (failover, scaling), its page follows closely. */
const changingRefreshMs = 5_000;
const fastestRefreshMs = 10_000;
/** A change the watcher reports is read after this pause, so the events of one failover make one read. */
const settleMs = 300;
/** A feed nobody subscribes to or reads goes after this long. */
const forgetAfterMs = 5 * 60_000;

export type DetailListener = (message: { type: "detail"; detail: ClusterDetail } | { type: "roles"; roles: Record<string, "primary" | "replica"> } | { type: "gone" }) => void;

interface Read {
  /** When the read started: a read asked for after a change must have started after it. */
  at: number;
  value: ClusterDetail | null;
}

class DetailFeed {
  private detail: { at: number; value: ClusterDetail } | null = null;
  private loading: Promise<Read> | null = null;
  private readonly listeners = new Set<DetailListener>();
  private timer: NodeJS.Timeout | null = null;
  private unwatch: (() => void) | null = null;
  /** When the watcher last said something about this cache: the next read must be newer. */
  private changedAt = 0;
  lastUsed = Date.now();

  constructor(
    private readonly target: DetailTarget,
    readonly key: string,
  ) {}

  private get watcher(): RegionWatcher {
    return watcherFor(this.target.place);
  }

  /** The chart's own period (10 s points on a 15-minute range, a minute beyond), faster while the cluster changes. */
  private refreshMs(): number {
    const detail = this.detail?.value;
    if (!detail) return metricGranularityMs;
    const s = detail.summary;
    if (s.status !== "available" || s.activity.length > 0) return changingRefreshMs;
    return Math.min(metricGranularityMs, Math.max(fastestRefreshMs, detail.window.period * 1000));
  }

  /** The shared detail, read now only if the last read is older than the refresh interval; null if it is gone. */
  async current(): Promise<ClusterDetail | null> {
    return (await this.since(this.freshFrom())).value;
  }

  /** Reads must be no older than the refresh interval, nor than the last change heard. */
  private freshFrom(): number {
    return Math.max(Date.now() - this.refreshMs(), this.changedAt);
  }

  /** The detail as of a read started at `minAt` or later: the held one if it is, else a new read. */
  async since(minAt: number): Promise<Read> {
    this.lastUsed = Date.now();
    if (this.detail && this.detail.at >= minAt) return this.detail;
    const read = await this.load(minAt);
    // A read already under way may have started before `minAt`: then one more.
    return read.at >= minAt ? read : this.load(minAt);
  }

  private load(minAt: number): Promise<Read> {
    this.loading ??= this.read(minAt)
      .then((read) => {
        if (read.value && read.at >= (this.detail?.at ?? 0)) this.detail = { at: read.at, value: read.value };
        return read;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** From the leader of the region's watcher when this instance follows it; else from AWS, here. */
  private async read(minAt: number): Promise<Read> {
    const { segment, id, params } = this.target;
    const fromLeader = detailFromLeader(this.target.place, this.key, { segment, id, params }, minAt);
    if (fromLeader) {
      try {
        const { at, detail } = await fromLeader;
        return { at, value: detail as ClusterDetail | null };
      } catch (error) {
        console.error(`cachedeck: ${placeKey(this.target.place)}/${id} from the leader failed; reading it here`, error);
      }
    }
    const at = Date.now();
    return { at, value: await asSharedReader("detail", () => readDetail(this.target)) };
  }

  subscribe(listener: DetailListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      this.lastUsed = Date.now();
      if (this.listeners.size === 0) this.pause();
    };
  }

  private start(): void {
    this.unwatch = this.watcher.subscribe((change) => this.onChange(change));
    this.plan(this.detail ? Math.max(0, this.refreshMs() - (Date.now() - this.detail.at)) : 0);
  }

  private pause(): void {
    this.unwatch?.();
    this.unwatch = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private mine(change: WatcherChange): boolean {
    const id = this.target.id;
    switch (change.type) {
      case "roles":
        return change.group === id;
      case "caches":
        return change.ids.includes(id);
      case "events": {
        const sources = new Set([id, ...(this.detail?.value.nodes.map((n) => n.cacheClusterId) ?? [])]);
        return change.events.some((e) => sources.has(e.source));
      }
    }
  }

  private onChange(change: WatcherChange): void {
    if (!this.mine(change)) return;
    this.changedAt = Date.now();
    if (change.type === "roles") {
      if (this.detail) this.detail = { ...this.detail, value: withRoles(this.detail.value, change.roles) };
      this.send({ type: "roles", roles: change.roles });
    }
    this.plan(settleMs);
  }

  private plan(delayMs: number): void {
    if (this.listeners.size === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delayMs);
    this.timer.unref?.();
  }

  private async refresh(): Promise<void> {
    this.timer = null;
    this.watcher.look(this.target.id);
    let changedMeanwhile = false;
    try {
      const { at, value: detail } = await this.since(this.freshFrom());
      this.send(detail ? { type: "detail", detail } : { type: "gone" });
      // A change heard while this read was under way may not be in it: read again after the settle pause the change
      // planned (planning the interval here would replace it), not a whole interval later.
      changedMeanwhile = at < this.changedAt;
    } catch (error) {
      console.error(`cachedeck: refreshing ${placeKey(this.target.place)}/${this.target.id} failed`, error);
    }
    this.plan(changedMeanwhile ? settleMs : this.refreshMs());
  }

  private send(message: Parameters<DetailListener>[0]): void {
    for (const listener of this.listeners) listener(message);
  }

  get idle(): boolean {
    return this.listeners.size === 0 && Date.now() - this.lastUsed > forgetAfterMs;
  }
}

/**
 * One read of a cluster or serverless page from what the region's watcher holds (the cache, its members, its tags,
 * roles newer than the describe), with only the page's own metrics and events asked of AWS; null if it is gone.
 */
export async function readDetail({ segment, place, id, params }: DetailTarget): Promise<ClusterDetail | null> {
  const { window } = resolveTimeWindow(params, Date.now());
  const watcher = watcherFor(place);
  const tags = (arn: string | null) => watcher.tagsOf(arn);
  if (segment === "serverless") {
    const cache = (watcher.described ? watcher.findServerless(id) : null) ?? (await findServerlessCache(place, id));
    return cache ? withAlarms(watcher, cache, await serverlessDetail(place, cache, window, tags(cache.arn))) : null;
  }
  watcher.look(id);
  const found = (watcher.described ? watcher.find(id) : null) ?? (await findCluster(place, id));
  if (!found) return null;
  const detail = await clusterDetail(place, found, window, params.node ?? null, { clusters: watcher.described ? watcher.cacheClusters() : undefined, tags });
  return withAlarms(watcher, found, found.kind === "replication-group" ? withRoles(detail, Object.fromEntries(watcher.roles(found.id))) : detail);
}

/** The cache's recommended alarms from the watcher's last alarms read (none before its first). */
function withAlarms(watcher: RegionWatcher, cache: Cache, detail: ClusterDetail): ClusterDetail {
  const coverage = watcher.alarmCoverageOf(cache);
  if (!coverage) return detail;
  return { ...detail, alarms: alarmsView(coverage, watcher.alarmHistory(new Set(coverage.flatMap((c) => c.existing.map((a) => a.name))))) };
}

const feeds: Map<string, DetailFeed> = ((globalThis as { __cachedeckDetailFeeds?: Map<string, DetailFeed> }).__cachedeckDetailFeeds ??= new Map());

/** The one feed of this page (same cluster, range and node focus), shared by every viewer of the process. */
export function detailFeed(target: DetailTarget): DetailFeed {
  const { range, from, to, node } = target.params;
  const key = JSON.stringify([target.segment, placeKey(target.place), target.id, range ?? null, range === "custom" ? [from, to] : null, node ?? null]);
  for (const [k, feed] of feeds) if (feed.idle) feeds.delete(k);
  let feed = feeds.get(key);
  if (!feed) {
    feed = new DetailFeed({ ...target, params: { ...(range ? { range } : {}), ...(range === "custom" ? { from: from ?? "", to: to ?? "" } : {}), ...(node ? { node } : {}) } }, key);
    feeds.set(key, feed);
  }
  return feed;
}

/** The leader's side of a follower's page (relay.ts): this instance's own feed of it, read no earlier than `minAt`. */
export async function serveDetail(place: Place, page: DetailPage, minAt: number): Promise<{ key: string; at: number; detail: unknown }> {
  const feed = detailFeed({ ...page, place });
  // The follower's clock may run a little ahead of this one: a read this instance holds fresh is stamped fresh for it.
  const { at, value } = await feed.since(Math.min(minAt, Date.now()));
  return { key: feed.key, at: Math.max(at, Math.min(minAt, Date.now() + 2_000)), detail: value };
}

export type { DetailFeed };
