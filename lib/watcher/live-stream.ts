import "server-only";
import { z } from "zod";
import type { Role } from "@/lib/auth/permissions";
import { visibleTo } from "@/lib/data/problems";
import { accountNamePattern, accountsConfig } from "@/lib/accounts";
import { placeKey, type Place } from "@/lib/place";
import { packDetail } from "@/lib/data/chart-wire";
import type { FleetChange } from "@/lib/data/fleet-changes";
import { toFleetRows } from "@/lib/data/fleet-rows";
import { healthWindow, resolveTimeWindow } from "@/lib/data/time-range";
import { getDatabase } from "@/lib/db/connection";
import { watcherConfig } from "@/lib/env";
import { countStream, watcherFor } from "./registry";
import { StreamAdmission } from "./stream-admission";
import { drillFeed } from "@/lib/drills/live-feed";
import { detailFeed } from "./detail-feed";

// One Server-Sent Events stream per open tab. It carries what changed and never makes an AWS call of its own: the
// fleet page hears which regions changed in the watchers' memory, a cluster page gets its shared detail feed's new
// reads and, at once, the roles a failover event reported, and a drill page its drill's shared feed (lib/drills/
// live-feed.ts). See docs/architecture.md, "The push path".

const rangeFields = { range: z.string().max(16).optional(), from: z.string().max(40).optional(), to: z.string().max(40).optional() };

export const liveQuerySchema = z.discriminatedUnion("view", [
  z.object({ view: z.literal("fleet"), ...rangeFields }),
  z.object({
    view: z.enum(["clusters", "serverless"]),
    /** Absent in a tab opened before CacheDeck knew several accounts: the default account. */
    account: z.string().regex(accountNamePattern, "is not an account name").optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "is not a region"),
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, "is not a cache id"),
    ...rangeFields,
    node: z.string().max(80).optional(),
  }),
  z.object({ view: z.literal("drill"), id: z.string().regex(/^[1-9]\d{0,15}$/, "is not a drill id").transform(Number).refine(Number.isSafeInteger, "is not a drill id") }),
]);
export type LiveQuery = z.infer<typeof liveQuerySchema>;

/** Tabs one person may have streaming at once (CACHEDECK_LIVE_TABS_PER_PERSON, 8 by default). */
export const maxStreamsPerUser = (): number => watcherConfig().liveTabsPerPerson;
const heartbeatMs = 15_000;
/** A stream ends after this and the browser reconnects, which authorizes again: a signed-out session stops here. */
export const maxStreamMs = 2 * 60_000;
/** Fleet notices are coalesced: a burst of changes is one notice per region per second. */
const fleetNoticeMs = 1_000;

const openStreams: Map<string, number> = ((globalThis as { __cachedeckLiveStreams?: Map<string, number> }).__cachedeckLiveStreams ??= new Map());

let admission: Promise<StreamAdmission> | undefined;

function streamAdmission(): Promise<StreamAdmission> {
  if (!admission) {
    // A stream lives at most maxStreamMs; a crashed instance's rows stop counting a little after that.
    admission = getDatabase().then(({ db }) => new StreamAdmission(db, { limit: maxStreamsPerUser(), holdMs: maxStreamMs + 30_000 }));
    admission.catch(() => {
      admission = undefined;
    });
  }
  return admission;
}

/** This process's own count: what holds the limit while the database cannot be reached. */
function admitHere(userId: string): (() => void) | null {
  const open = openStreams.get(userId) ?? 0;
  if (open >= maxStreamsPerUser()) return null;
  openStreams.set(userId, open + 1);
  return () => {
    const left = (openStreams.get(userId) ?? 1) - 1;
    if (left <= 0) openStreams.delete(userId);
    else openStreams.set(userId, left);
  };
}

/**
 * Counts the stream against its owner across every app instance (lib/watcher/stream-admission.ts), or returns null
 * when they already have the most allowed; the returned function ends the stream's count. Live pages do not need the
 * database otherwise, so while it cannot be reached this instance counts on its own.
 */
export async function admitStream(userId: string): Promise<(() => void) | null> {
  try {
    const release = await (await streamAdmission()).admit(userId);
    return release && (() => void release().catch((error: unknown) => console.error("[cachedeck] a live stream's count was not released; it expires", error)));
  } catch (error) {
    console.error("[cachedeck] live stream count unavailable in the database; counting on this instance", error);
    return admitHere(userId);
  }
}

type Send = (event: string, data: unknown) => void;

/**
 * The fleet page's rows that changed in an account's region since this stream last sent them (the page's range decides the
 * health window and trend grid). Rows are compared as sent, so a health read that changed nothing sends nothing.
 */
function fleetChanges(place: Place, range: Record<string, string | undefined>, sent: Map<string, string>): FleetChange[] {
  const now = Date.now();
  const { window } = resolveTimeWindow(range, now);
  const view = watcherFor(place).view(window, now);
  if (!view.ready) return [];
  const rows = toFleetRows({ clusters: view.clusters, window: healthWindow(window, now) });
  const changes: FleetChange[] = [];
  const present = new Set<string>();
  for (const row of rows) {
    present.add(row.key);
    const text = JSON.stringify(row);
    if (sent.get(row.key) !== text) changes.push({ type: "upsert", row });
    sent.set(row.key, text);
  }
  for (const key of sent.keys()) {
    if (key.startsWith(`${placeKey(place)}/`) && !present.has(key)) {
      changes.push({ type: "remove", key });
      sent.delete(key);
    }
  }
  return changes;
}

function watchFleet(query: Extract<LiveQuery, { view: "fleet" }>, places: readonly Place[], send: Send): () => void {
  const pending = new Set<Place>();
  const sent = new Map<string, string>();
  const { range, from, to } = query;
  for (const place of places) fleetChanges(place, { range, from, to }, sent);
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    for (const place of pending) {
      const changes = fleetChanges(place, { range, from, to }, sent);
      if (changes.length > 0) send("changes", { account: place.account, region: place.region, changes });
    }
    pending.clear();
  };
  const stops = places.map((place) => {
    const watcher = watcherFor(place);
    countStream(watcher, 1);
    const unsubscribe = watcher.subscribe((change) => {
      if (change.type !== "caches") return;
      watcher.touch();
      pending.add(place);
      timer ??= setTimeout(flush, fleetNoticeMs);
    });
    return () => {
      unsubscribe();
      countStream(watcher, -1);
    };
  });
  return () => {
    if (timer) clearTimeout(timer);
    stops.forEach((stop) => stop());
  };
}

function watchDetail(query: Extract<LiveQuery, { view: "clusters" | "serverless" }>, role: Role | null, send: Send): () => void {
  const { view, account, region, id, ...params } = query;
  const place = { account: account ?? accountsConfig().defaultAccount, region };
  const watcher = watcherFor(place);
  countStream(watcher, 1);
  const unsubscribe = detailFeed({ segment: view, place, id, params: Object.fromEntries(Object.entries(params).filter(([, v]) => v)) as Record<string, string> }).subscribe(
    // The detail is shared by every viewer; what a role may not read (configuration in problems) is cut per stream.
    // Its charts travel packed, as in the page's first render (lib/data/chart-wire.ts).
    (message) => send(message.type, message.type === "detail" ? { ...message, detail: packDetail({ ...message.detail, problems: message.detail.problems.map((p) => visibleTo(role, p)) }) } : message),
  );
  return () => {
    unsubscribe();
    countStream(watcher, -1);
  };
}

/**
 * The person a stream is for, as the route handler authorized them: their role in the cache's account (a cache page's
 * stream) and the places whose fleet changes they may read (the fleet's stream).
 */
export interface StreamReader {
  id: string;
  role: Role | null;
  places: readonly Place[];
}

/** The response body: heartbeats, the view's changes, and an end after `lifetimeMs` (the session's expiry at most). */
export function liveStream(query: LiveQuery, user: StreamReader, lifetimeMs: number, signal: AbortSignal, release: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const send: Send = (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const stopWatching =
        query.view === "fleet" ? watchFleet(query, user.places, send) : query.view === "drill" ? drillFeed(query.id).subscribe((m) => send(m.type, m)) : watchDetail(query, user.role, send);
      const heartbeat = setInterval(() => write(": heartbeat\n\n"), heartbeatMs);
      const end = setTimeout(() => close(), lifetimeMs);
      function close() {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(end);
        stopWatching();
        release();
        signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      }
      cleanup = close;
      signal.addEventListener("abort", close);
      // The browser waits a second before reconnecting after the planned end.
      write("retry: 1000\n\n");
      send("hello", { view: query.view });
    },
    cancel() {
      cleanup();
    },
  });
}
