import "server-only";
import { loadDrillView, type DrillView } from "./views";

// A drill's page, followed for everyone who has it open in this process. The runner writes its progress to
// CacheDeck's own database (it may run in another app instance), so that is where the feed reads it: one read of the
// drill and its timeline a second while the drill runs and someone watches, whatever the number of viewers, and no
// AWS call of its own (the charts come from the drill views' shared read, at most every 10 s). Viewers get the new
// view only when something in it changed; a finished drill sends its report once and the feed stops reading.

/** How soon a timeline entry (a primary change, a shard healthy) reaches open pages. */
export const drillCheckEveryMs = 1_000;

export type DrillListener = (message: { type: "drill"; view: DrillView } | { type: "gone" }) => void;

class DrillFeed {
  private readonly listeners = new Set<DrillListener>();
  private timer: NodeJS.Timeout | null = null;
  private sent: string | null = null;
  private last: { type: "drill"; view: DrillView } | { type: "gone" } | null = null;
  private ended = false;

  constructor(private readonly id: number) {}

  subscribe(listener: DrillListener): () => void {
    this.listeners.add(listener);
    if (this.last) listener(this.last);
    if (this.listeners.size === 1 && !this.ended) this.plan(0);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      feeds.delete(this.id);
    };
  }

  private plan(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), delayMs);
    this.timer.unref?.();
  }

  private async check(): Promise<void> {
    this.timer = null;
    try {
      const view = await loadDrillView(this.id);
      if (!view) {
        this.ended = true;
        return this.send({ type: "gone" });
      }
      // renderedAt moves on every read; only a change in what the page shows is news.
      const text = JSON.stringify({ ...view, renderedAt: 0, window: { ...view.window, end: 0 } });
      if (text !== this.sent) {
        this.sent = text;
        this.send({ type: "drill", view });
      }
      this.ended = view.drill.status !== "running";
    } catch (error) {
      console.error(`cachedeck: reading drill #${this.id} for its live page failed`, error);
    }
    if (!this.ended && this.listeners.size > 0) this.plan(drillCheckEveryMs);
  }

  private send(message: NonNullable<DrillFeed["last"]>): void {
    this.last = message;
    for (const listener of this.listeners) listener(message);
  }
}

const feeds: Map<number, DrillFeed> = ((globalThis as { __cachedeckDrillFeeds?: Map<number, DrillFeed> }).__cachedeckDrillFeeds ??= new Map());

/** The one feed of drill `id` in this process, shared by every viewer of its page. */
export function drillFeed(id: number): DrillFeed {
  let feed = feeds.get(id);
  if (!feed) {
    feed = new DrillFeed(id);
    feeds.set(id, feed);
  }
  return feed;
}
