import { sql, type Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "@/lib/db/schema";
import type { Place } from "@/lib/place";
import { LeaseConnection, type LeaseOptions } from "./lease";
import type { RegionWatcher, SnapshotHead, WatcherHint, WatcherRecord } from "./region-watcher";
import { SnapshotAssembly } from "./snapshot-parts";

// Several app instances on one Postgres share one watcher per account × region. The instance holding the watcher's
// lease (lease.ts) calls AWS; every record its watcher applies goes into `watcher_records` and a NOTIFY names the
// new row (a pointer: NOTIFY payloads stop at 8,000 bytes, a record can be megabytes). The others LISTEN, read the
// rows after the last one they applied, apply them to their own watcher and push to their own viewers; they call AWS
// for that watcher only once they take the lease over. Their viewers' needs go the other way as hints (keep
// watching, someone looks at this cache, an operation was sent to it). A follower's cluster page asks the leader for
// its detail the same way: the leader reads it through its own shared feed, stores it in `watcher_details` and
// notifies the page's key. See docs/architecture.md, "Several app instances".
//
// A snapshot is several rows: its points, topology, tags and capacity read in `snapshot-part` rows (under 1 MB each),
// then the head (kind `snapshot`: the rest, a few kB, and the kind of each part before it; ./snapshot-parts.ts).
// Writing the head last makes it the mark of a complete snapshot: a leader that dies halfway leaves parts no head
// names, which no follower reads and the next compaction deletes. At 1,100 caches one 43 MB record blocked the
// leader's event loop for 5 s to build and serialise and a follower's for seconds to parse; in parts, every await
// between them hands the loop back (docs/BENCHMARKS.md).

const recordsChannel = "cachedeck_watcher";
const hintsChannel = "cachedeck_watcher_hint";
const detailsChannel = "cachedeck_watcher_detail";

export interface RelayOptions extends LeaseOptions {
  /** A follower also reads the log this often, in case a notification was lost; and tells the leader it still watches. */
  catchUpEveryMs: number;
}

export const defaultRelayOptions: RelayOptions = { checkEveryMs: 2_000, deadlineMs: 5_000, catchUpEveryMs: 5_000 };

/** The same touch or look is sent at most this often: the leader only needs to know someone is still there. */
const hintEveryMs = 5_000;
/** A new snapshot once the records since the last one outweigh it (and this much at least): the log stays short. */
const minCompactBytes = 256 * 1024;
const readBatch = 100;
/** The kind of a snapshot's rows of points; its head is kind "snapshot". */
const snapshotPart = "snapshot-part";
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A cluster page's target within its watcher's account and region (detail-feed.ts's DetailTarget without the place). */
const pageSchema = z.object({
  segment: z.enum(["clusters", "serverless"]),
  id: z.string().max(255),
  params: z.record(z.string().max(32), z.string().max(64)).refine((params) => Object.keys(params).length <= 4),
});
export type DetailPage = z.infer<typeof pageSchema>;

const hintSchema = z.discriminatedUnion("kind", [
  z.object({ watcher: z.string(), kind: z.literal("touch") }),
  z.object({ watcher: z.string(), kind: z.literal("alarms") }),
  z.object({ watcher: z.string(), kind: z.enum(["look", "expect"]), id: z.string().max(255) }),
  z.object({ watcher: z.string(), kind: z.literal("detail"), page: pageSchema, minAt: z.number() }),
]);

/** How a leader reads a page's detail: through its shared feed, read no earlier than `minAt` (detail-feed.ts). */
export type ServeDetail = (place: Place, page: DetailPage, minAt: number) => Promise<{ key: string; at: number; detail: unknown }>;

/** A follower's page waits this long for the leader's read before reading for itself (a leader gone or stuck). */
const leaderDetailWaitMs = 8_000;
/** Rows of pages nobody asked about for this long are deleted when the leader next writes one. */
const detailsKeptMs = 3600_000;

export class WatcherRelay {
  private readonly watchers = new Map<string, RegionWatcher>();
  /** The id of the last record each follower applied; null until it has a snapshot to start from. */
  private readonly positions = new Map<string, string | null>();
  private readonly reading = new Map<string, Promise<void>>();
  private readonly readAgain = new Set<string>();
  private readonly publishing = new Map<string, Promise<void>>();
  private readonly logBytes = new Map<string, { since: number; snapshot: number }>();
  private readonly hintsSent = new Map<string, number>();
  /** Followers' pages waiting for the leader's detail, by page key: woken by its notification. */
  private readonly detailWaiters = new Map<string, Set<() => void>>();
  private detailsSweptAt = 0;
  private readonly lease: LeaseConnection;
  private readonly timer: NodeJS.Timeout;

  constructor(
    url: string,
    private readonly database: () => Promise<Kysely<Database>>,
    private readonly log: (message: string, error?: unknown) => void,
    options: RelayOptions = defaultRelayOptions,
    private readonly serveDetail: ServeDetail | null = null,
  ) {
    this.lease = new LeaseConnection(
      url,
      [recordsChannel, hintsChannel, detailsChannel],
      {
        lead: (name) => this.lead(name),
        follow: (name) => this.follow(name),
        notify: (channel, payload) => this.notified(channel, payload),
        connected: () => this.watchers.forEach((_, name) => void this.read(name)),
        log,
      },
      options,
    );
    this.timer = setInterval(() => this.catchUp(), options.catchUpEveryMs);
    this.timer.unref();
  }

  /** Shares `watcher` with the other instances: it follows until this instance holds its lease. */
  attach(name: string, watcher: RegionWatcher): void {
    this.watchers.set(name, watcher);
    this.positions.set(name, null);
    watcher.publish = (record) => this.publish(name, record);
    watcher.publishSnapshot = () => this.publishSnapshot(name);
    watcher.forward = (hint) => this.hint(name, hint);
    this.lease.add(name);
    void this.read(name);
  }

  /** Stops sharing every watcher and ends the lease connection (Postgres releases the locks with it). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.publishing.values()]);
    this.watchers.clear();
    await this.lease.close();
  }

  private lead(name: string): void {
    const watcher = this.watchers.get(name);
    if (!watcher) return;
    // What the old leader wrote last is applied before this instance carries on from it.
    void this.read(name).finally(() => {
      if (this.lease.holds(name)) {
        this.logBytes.delete(name);
        watcher.lead();
      }
    });
  }

  private follow(name: string): void {
    this.watchers.get(name)?.follow();
    // The next leader starts its log with a snapshot; until it has, this instance's own records are the newest.
    this.positions.set(name, null);
  }

  private notified(channel: string, payload: string): void {
    if (channel === recordsChannel) {
      const name = payload.slice(0, payload.lastIndexOf(" "));
      if (this.watchers.has(name)) void this.read(name);
      return;
    }
    if (channel === detailsChannel) {
      this.detailWaiters.get(payload)?.forEach((wake) => wake());
      return;
    }
    let hint: z.infer<typeof hintSchema>;
    try {
      hint = hintSchema.parse(JSON.parse(payload));
    } catch {
      return this.log(`ignored a malformed watcher hint: ${payload.slice(0, 200)}`);
    }
    const watcher = this.watchers.get(hint.watcher);
    if (!watcher?.isLeading) return;
    if (hint.kind === "detail") void this.serve(hint.watcher, watcher.key, hint.page, hint.minAt);
    else if (hint.kind === "touch") watcher.touch();
    else if (hint.kind === "alarms") watcher.expectAlarms();
    else if (hint.kind === "look") watcher.look(hint.id);
    else watcher.expectChange(hint.id);
  }

  private catchUp(): void {
    for (const [name, watcher] of this.watchers) {
      if (watcher.isLeading) continue;
      void this.read(name);
      // An open push stream here is someone watching, even when nothing changes for a long time.
      if (watcher.listened) this.hint(name, { kind: "touch" });
    }
  }

  // ---- follower: read the leader's records ----------------------------------------------------------------------

  /** Applies the records after the last one applied; one read at a time per watcher, another after it if asked. */
  private read(name: string): Promise<void> {
    const current = this.reading.get(name);
    if (current) {
      this.readAgain.add(name);
      return current;
    }
    const run = (async () => {
      do {
        this.readAgain.delete(name);
        await this.readOnce(name);
      } while (this.readAgain.has(name));
    })()
      .catch((error) => this.log(`reading the leader's records of ${name} failed; trying again shortly`, error))
      .finally(() => this.reading.delete(name));
    this.reading.set(name, run);
    return run;
  }

  private async readOnce(name: string): Promise<void> {
    const watcher = this.watchers.get(name);
    if (!watcher || watcher.isLeading) return;
    const db = await this.database();
    let position = this.positions.get(name) ?? null;
    if (position === null) {
      const head = await db
        .selectFrom("watcher_records")
        .select(["id", "payload"])
        .where("watcher", "=", name)
        .where("kind", "=", "snapshot")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      // No leader has finished warming up yet: its snapshot will be notified.
      if (!head) return;
      // Parts gone: a newer snapshot compacted them away while they were read; its notification reads it.
      if (!(await this.replaySnapshot(db, name, watcher, String(head.id), head.payload))) return;
      position = String(head.id);
      this.positions.set(name, position);
    }
    for (;;) {
      // A snapshot's parts are read through its head only.
      const rows = await db
        .selectFrom("watcher_records")
        .select(["id", "kind", "payload"])
        .where("watcher", "=", name)
        .where("kind", "!=", snapshotPart)
        .where(sql<boolean>`id > ${position}::bigint`)
        .orderBy("id")
        .limit(readBatch)
        .execute();
      for (const row of rows) {
        if (watcher.isLeading) return;
        if (row.kind === "snapshot") {
          if (!(await this.replaySnapshot(db, name, watcher, String(row.id), row.payload))) {
            // Compacted away by a newer snapshot while this one was read: start from the newest.
            this.positions.set(name, null);
            this.readAgain.add(name);
            return;
          }
        } else watcher.replay(JSON.parse(row.payload) as Exclude<WatcherRecord, SnapshotHead>);
        position = String(row.id);
        this.positions.set(name, position);
      }
      if (rows.length < readBatch) return;
    }
  }

  /**
   * Reads a snapshot's parts one row at a time, parsing each before reading the next (the awaits between them hand
   * the event loop back), then applies the head with all of them at once: pages see the old state or the new, never
   * half of it. False when its parts are no longer all there.
   */
  private async replaySnapshot(db: Kysely<Database>, name: string, watcher: RegionWatcher, headId: string, payload: string): Promise<boolean> {
    const head = JSON.parse(payload) as SnapshotHead;
    // Its parts are the rows just before it with its time (a dead leader's unfinished parts come earlier).
    const partIds = await db
      .selectFrom("watcher_records")
      .select("id")
      .where("watcher", "=", name)
      .where("kind", "=", snapshotPart)
      .where("at", "=", head.at)
      .where(sql<boolean>`id < ${headId}::bigint`)
      .orderBy("id", "desc")
      .limit(head.parts)
      .execute();
    if (partIds.length !== head.parts) return false;
    const assembly = new SnapshotAssembly(head);
    for (const { id } of partIds.reverse()) {
      const part = await db.selectFrom("watcher_records").select("payload").where("id", "=", id).executeTakeFirst();
      if (!part) return false;
      assembly.add(part.payload);
    }
    await watcher.replaySnapshot(assembly.head, assembly.points, nextTurn);
    return true;
  }

  // ---- leader: write records ------------------------------------------------------------------------------------

  /**
   * Appends a record to the watcher's log and notifies its id. One insert at a time per watcher: ids are handed out
   * at insert and a later id must never become visible before an earlier one, or a follower reading "after the last
   * id" would skip it.
   */
  private publish(name: string, record: WatcherRecord): void {
    const payload = JSON.stringify(record);
    this.enqueue(name, `a ${record.type} record`, () => this.append(name, record.type, record.at, payload));
  }

  /** A snapshot, taken when its turn in the log comes: the records queued before it are in it. */
  private publishSnapshot(name: string): void {
    this.enqueue(name, "a snapshot", () => this.writeSnapshot(name));
  }

  private enqueue(name: string, what: string, write: () => Promise<void>): void {
    const previous = this.publishing.get(name) ?? Promise.resolve();
    const next = previous
      .then(write)
      .catch((error) => this.log(`publishing ${what} of ${name} failed; followers catch up at the next snapshot`, error));
    this.publishing.set(name, next);
    void next.finally(() => {
      if (this.publishing.get(name) === next) this.publishing.delete(name);
    });
  }

  private async append(name: string, kind: string, at: number, payload: string): Promise<void> {
    if (!(await this.insert(name, kind, at, payload))) return;
    const bytes = this.logBytes.get(name) ?? { since: 0, snapshot: 0 };
    bytes.since += payload.length;
    this.logBytes.set(name, bytes);
    if (this.watchers.get(name)?.isLeading && bytes.since > Math.max(bytes.snapshot, minCompactBytes)) {
      bytes.since = 0;
      this.publishSnapshot(name);
    }
  }

  /** The parts, one insert each (their encoding between the awaits), then the head naming them; then compaction. */
  private async writeSnapshot(name: string): Promise<void> {
    const watcher = this.watchers.get(name);
    if (!watcher?.isLeading) return;
    const { at, head, parts } = watcher.snapshotRows();
    let firstId: string | null = null;
    let bytes = 0;
    for (const payload of parts) {
      const id = await this.insert(name, snapshotPart, at, payload, false);
      if (!id) return;
      firstId ??= id;
      bytes += payload.length;
    }
    const headPayload = head();
    bytes += headPayload.length;
    const headId = await this.insert(name, "snapshot", at, headPayload);
    if (!headId) return;
    // Everything before the new snapshot's first part is in it: a follower starting later needs only it and what follows.
    const db = await this.database();
    await db.deleteFrom("watcher_records").where("watcher", "=", name).where(sql<boolean>`id < ${firstId ?? headId}::bigint`).execute();
    this.logBytes.set(name, { since: 0, snapshot: bytes });
  }

  /** One row of the watcher's log, notified unless it is a snapshot part; its id, or null when the lease is gone. */
  private async insert(name: string, kind: string, at: number, payload: string, notify = true): Promise<string | null> {
    if (!this.lease.holds(name)) return null;
    const db = await this.database();
    const { rows } = await sql<{ id: string }>`
      with appended as (
        insert into watcher_records (watcher, kind, at, payload) values (${name}, ${kind}, ${at}, ${payload}) returning id
      )
      select id, ${notify ? sql`pg_notify(${recordsChannel}, ${name} || ' ' || id)` : sql`null`} from appended`.execute(db);
    return String(rows[0].id);
  }

  // ---- cluster pages' details ----------------------------------------------------------------------------------

  /**
   * A follower's page detail, read by the leader no earlier than `minAt`: the stored one if fresh enough, else asked
   * of the leader and awaited. Rejects after a few seconds without an answer (the caller reads for itself then).
   */
  async detailFromLeader(name: string, key: string, page: DetailPage, minAt: number): Promise<{ at: number; detail: unknown }> {
    const db = await this.database();
    const stored = async () => {
      const row = await db.selectFrom("watcher_details").select(["at", "payload"]).where("key", "=", key).executeTakeFirst();
      return row && Number(row.at) >= minAt ? { at: Number(row.at), detail: JSON.parse(row.payload) as unknown } : null;
    };
    const held = await stored();
    if (held) return held;
    const deadline = Date.now() + leaderDetailWaitMs;
    const waiters = this.detailWaiters.get(key) ?? new Set<() => void>();
    this.detailWaiters.set(key, waiters);
    let wake = () => undefined as void;
    let timer: NodeJS.Timeout | undefined;
    try {
      this.hint(name, { kind: "detail", page, minAt });
      while (Date.now() < deadline) {
        // Registered before looking again, so a notification between the look and the wait is not lost.
        const notified = new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, deadline - Date.now());
        });
        waiters.add(wake);
        const answer = await stored();
        if (answer) return answer;
        await notified;
        waiters.delete(wake);
        clearTimeout(timer);
      }
      const last = await stored();
      if (last) return last;
      throw new Error(`the leader of ${name} did not answer for ${key} within ${leaderDetailWaitMs} ms`);
    } finally {
      waiters.delete(wake);
      clearTimeout(timer);
      if (waiters.size === 0) this.detailWaiters.delete(key);
    }
  }

  /** Leader: reads a follower's page through this instance's shared feed and stores it for every follower. */
  private async serve(name: string, place: Place, page: DetailPage, minAt: number): Promise<void> {
    if (!this.serveDetail) return;
    try {
      const { key, at, detail } = await this.serveDetail(place, page, minAt);
      if (!this.lease.holds(name)) return;
      const db = await this.database();
      const payload = JSON.stringify(detail);
      await sql`
        with stored as (
          insert into watcher_details (key, watcher, at, payload) values (${key}, ${name}, ${at}, ${payload})
          on conflict (key) do update set at = excluded.at, payload = excluded.payload where watcher_details.at <= excluded.at
          returning key
        )
        select pg_notify(${detailsChannel}, ${key}) from stored`.execute(db);
      if (Date.now() - this.detailsSweptAt > detailsKeptMs / 6) {
        this.detailsSweptAt = Date.now();
        await db.deleteFrom("watcher_details").where("at", "<", Date.now() - detailsKeptMs).execute();
      }
    } catch (error) {
      this.log(`serving a follower's ${page.segment} page ${page.id} of ${name} failed; it reads for itself`, error);
    }
  }

  // ---- hints ----------------------------------------------------------------------------------------------------

  private hint(name: string, hint: WatcherHint | { kind: "detail"; page: DetailPage; minAt: number }): void {
    const key = `${name}|${hint.kind}|${"id" in hint ? hint.id : ""}`;
    const now = Date.now();
    if (hint.kind === "touch" || hint.kind === "look") {
      if (now - (this.hintsSent.get(key) ?? 0) < hintEveryMs) return;
      this.hintsSent.set(key, now);
    }
    void this.database()
      .then((db) => sql`select pg_notify(${hintsChannel}, ${JSON.stringify({ watcher: name, ...hint })})`.execute(db))
      .catch((error) => this.log(`telling the leader of ${name} about a ${hint.kind} failed`, error));
  }
}
