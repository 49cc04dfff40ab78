import type { Kysely, Selectable } from "kysely";
import type { Database, DrillsTable, DrillTimelineTable } from "@/lib/db/schema";
import type {
  Drill,
  DrillHistoryItem,
  DrillKind,
  DrillObjectives,
  DrillParameters,
  DrillReport,
  DrillStatus,
  NewTimelineEntry,
  TimelineEntry,
  TimelineKind,
  Verdict,
} from "@/lib/drills/model";
import type { Place } from "@/lib/place";
import { buildReport } from "@/lib/drills/report";

// Drills, their timelines and reports, in the same database and the same style as the audit log: ISO strings in,
// Date-or-string and JSON-or-string out, normalised here so nothing above knows which database is underneath.

/** The runner writes a heartbeat this often while a drill runs. */
export const HEARTBEAT_INTERVAL_MS = 2_000;
/** A running drill whose heartbeat is older than this has lost its process: it is shown, then marked, interrupted. */
export const DEFAULT_STALE_AFTER_MS = 15_000;

const INTERRUPTED_MESSAGE = "CacheDeck stopped while the drill was running (restart or crash); what it measured until then is kept.";

/** Another drill is running on the group; the database refused the second one. */
export class DrillConflictError extends Error {
  constructor(readonly runningDrill: Drill | undefined) {
    super(
      runningDrill
        ? `Drill #${runningDrill.id} on ${runningDrill.replicationGroupId}, started by ${runningDrill.actor.name}, is still running; wait for it to finish or abort it.`
        : "Another drill is already running on this group; wait for it to finish or abort it.",
    );
    this.name = "DrillConflictError";
  }
}

export type NewDrill = Pick<Drill, "kind" | "account" | "region" | "replicationGroupId" | "parameters" | "objectives" | "tags" | "actor" | "auditId">;

export interface DrillFilter {
  account?: string;
  /** Only drills in these accounts (the ones the reader may read); an empty list matches none. */
  accounts?: readonly string[];
  region?: string;
  replicationGroupId?: string;
  status?: DrillStatus;
  /** Drills with an id below this one (the next page, newest first). */
  beforeId?: number;
  limit?: number;
}

export interface DrillStoreOptions {
  now?: () => Date;
  staleAfterMs?: number;
  /** Recorded on the drills this store creates: the process that runs them (see runner-identity.ts). */
  runner?: string;
  /** Whether a drill's recorded runner is known to be gone (dead process on this host). */
  runnerGone?: (runner: string) => boolean;
}

type DrillRow = Selectable<DrillsTable>;
type TimelineRow = Selectable<DrillTimelineTable>;

const MAX_LIMIT = 1_000;

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function parsed<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(e?.message ?? "");
}

export class DrillStore {
  private readonly now: () => Date;
  private readonly staleAfterMs: number;
  private readonly runner: string | null;
  private readonly runnerGone: (runner: string) => boolean;

  constructor(
    private readonly db: Kysely<Database>,
    options: DrillStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.runner = options.runner ?? null;
    this.runnerGone = options.runnerGone ?? (() => false);
  }

  /** Records a drill as running. Refuses (DrillConflictError) while another drill runs on the same group. */
  async create(drill: NewDrill): Promise<Drill> {
    await this.markStaleInterrupted({ account: drill.account, region: drill.region, replicationGroupId: drill.replicationGroupId });
    const now = this.now().toISOString();
    try {
      const row = await this.db
        .insertInto("drills")
        .values({
          kind: drill.kind,
          account: drill.account,
          region: drill.region,
          replication_group_id: drill.replicationGroupId,
          parameters: JSON.stringify(drill.parameters),
          objectives: JSON.stringify(drill.objectives),
          tags: JSON.stringify(drill.tags),
          status: "running",
          actor_id: drill.actor.id,
          actor_name: drill.actor.name,
          actor_email: drill.actor.email,
          role: drill.actor.role,
          audit_id: drill.auditId,
          requested_at: now,
          heartbeat_at: now,
          runner: this.runner,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return this.toDrill(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new DrillConflictError(await this.running(drill, drill.replicationGroupId));
    }
  }

  async get(id: number): Promise<Drill | undefined> {
    const row = await this.db.selectFrom("drills").selectAll().where("id", "=", id).executeTakeFirst();
    return row && this.toDrill(row);
  }

  /** Matching drills, newest first. A `status` filter applies to the status people see (stale runs are interrupted). */
  async list(filter: DrillFilter = {}): Promise<Drill[]> {
    let query = this.db.selectFrom("drills").selectAll();
    if (filter.account) query = query.where("account", "=", filter.account);
    if (filter.accounts) {
      if (filter.accounts.length === 0) return [];
      query = query.where("account", "in", [...filter.accounts]);
    }
    if (filter.region) query = query.where("region", "=", filter.region);
    if (filter.replicationGroupId) query = query.where("replication_group_id", "=", filter.replicationGroupId);
    if (filter.beforeId !== undefined) query = query.where("id", "<", filter.beforeId);
    // Running and interrupted are told apart by heartbeat and runner, so those two filters are applied to the rows read.
    if (filter.status === "running" || filter.status === "interrupted") query = query.where("status", "in", ["running", "interrupted"]);
    else if (filter.status) query = query.where("status", "=", filter.status);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), MAX_LIMIT);
    const rows = await query.orderBy("id", "desc").limit(filter.status === "running" || filter.status === "interrupted" ? MAX_LIMIT : limit).execute();
    const drills = rows.map((row) => this.toDrill(row));
    return (filter.status ? drills.filter((d) => d.status === filter.status) : drills).slice(0, limit);
  }

  /** The drill running on the group right now, if any (a run whose process died does not count). */
  async running(place: Place, replicationGroupId: string): Promise<Drill | undefined> {
    const [drill] = await this.list({ account: place.account, region: place.region, replicationGroupId, status: "running", limit: 1 });
    return drill;
  }

  /** The most recent drill on the group that is not running. */
  async last(place: Place, replicationGroupId: string): Promise<Drill | undefined> {
    const rows = await this.list({ account: place.account, region: place.region, replicationGroupId, limit: 5 });
    return rows.find((d) => d.status !== "running");
  }

  /** Keeps a running drill from being taken for an abandoned one. */
  async heartbeat(id: number): Promise<void> {
    await this.db.updateTable("drills").set({ heartbeat_at: this.now().toISOString() }).where("id", "=", id).where("status", "=", "running").execute();
  }

  /** Asks the runner to stop before its next shard. Returns false when the drill is not running. */
  async requestAbort(id: number, by: string): Promise<boolean> {
    const result = await this.db
      .updateTable("drills")
      .set({ abort_requested_at: this.now().toISOString(), abort_requested_by: by })
      .where("id", "=", id)
      .where("status", "=", "running")
      .where("abort_requested_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Ends a running drill. Returns false when it had already ended (for example marked interrupted meanwhile). */
  async finish(id: number, outcome: { status: Exclude<DrillStatus, "running">; verdict: Verdict | null; error?: string | null }): Promise<boolean> {
    const result = await this.db
      .updateTable("drills")
      .set({ status: outcome.status, verdict: outcome.verdict, error: outcome.error ?? null, finished_at: this.now().toISOString() })
      .where("id", "=", id)
      .where("status", "=", "running")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Marks running drills whose process is gone (no heartbeat for staleAfterMs) as interrupted, so they are never
   * lost and never block the group, and writes each one's report from what its timeline recorded. Returns the ids
   * marked. Run at start-up, every stale-after interval, and before each new drill.
   *
   * Marking and report are one transaction: whichever instance marks a drill writes its report, and a crash between
   * the two cannot leave an interrupted drill without one (nor a reader see the status before the report).
   */
  async markStaleInterrupted(scope: { account?: string; region?: string; replicationGroupId?: string } = {}): Promise<number[]> {
    let running = this.db.selectFrom("drills").select(["id", "runner", "heartbeat_at"]).where("status", "=", "running");
    if (scope.account) running = running.where("account", "=", scope.account);
    if (scope.region) running = running.where("region", "=", scope.region);
    if (scope.replicationGroupId) running = running.where("replication_group_id", "=", scope.replicationGroupId);
    const abandoned = (await running.execute()).filter((row) => this.abandoned(row)).map((row) => Number(row.id));
    if (abandoned.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable("drills")
        .set({ status: "interrupted", finished_at: this.now().toISOString(), error: INTERRUPTED_MESSAGE })
        .where("id", "in", abandoned)
        .where("status", "=", "running")
        .returningAll()
        .execute();
      for (const row of rows) {
        const report = buildReport(this.toDrill(row), await this.timelineIn(trx, Number(row.id)));
        await this.writeReport(trx, report);
        await trx.updateTable("drills").set({ verdict: report.verdict.verdict }).where("id", "=", report.drillId).execute();
      }
      return rows.map((r) => Number(r.id));
    });
  }

  /** A running drill nobody runs any more: its process is known dead, or it stopped sending heartbeats. */
  private abandoned(row: { runner: string | null; heartbeat_at: Date | string }): boolean {
    return iso(row.heartbeat_at) < this.staleCutoff() || (row.runner !== null && this.runnerGone(row.runner));
  }

  async appendTimeline<K extends TimelineKind>(drillId: number, entry: NewTimelineEntry<K>): Promise<TimelineEntry<K>> {
    const row = await this.db
      .insertInto("drill_timeline")
      .values({
        drill_id: drillId,
        at: entry.at ?? this.now().toISOString(),
        kind: entry.kind,
        shard: entry.shard,
        message: entry.message,
        data: JSON.stringify(entry.data),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTimelineEntry(row) as TimelineEntry<K>;
  }

  /** A drill's timeline in the order it was written; `afterId` returns only what came since. */
  timeline(drillId: number, afterId = 0): Promise<TimelineEntry[]> {
    return this.timelineIn(this.db, drillId, afterId);
  }

  saveReport(report: DrillReport): Promise<void> {
    return this.writeReport(this.db, report);
  }

  private async timelineIn(db: Kysely<Database>, drillId: number, afterId = 0): Promise<TimelineEntry[]> {
    const rows = await db
      .selectFrom("drill_timeline")
      .selectAll()
      .where("drill_id", "=", drillId)
      .where("id", ">", afterId)
      .orderBy("id")
      .execute();
    return rows.map(toTimelineEntry);
  }

  private async writeReport(db: Kysely<Database>, report: DrillReport): Promise<void> {
    const values = {
      created_at: this.now().toISOString(),
      verdict: report.verdict.verdict,
      new_primary_ms: report.newPrimaryMs === null ? null : Math.round(report.newPrimaryMs),
      healthy_ms: report.healthyMs === null ? null : Math.round(report.healthyMs),
      write_outage_ms: report.probe && !report.probe.problem ? Math.round(report.probe.longestWriteOutageMs) : null,
      keys_lost: report.probe && !report.probe.problem ? report.probe.keysLost : null,
      report: JSON.stringify(report),
    };
    await db
      .insertInto("drill_reports")
      .values({ drill_id: report.drillId, ...values })
      .onConflict((oc) => oc.column("drill_id").doUpdateSet(values))
      .execute();
  }

  async report(drillId: number): Promise<DrillReport | undefined> {
    const row = await this.db.selectFrom("drill_reports").select("report").where("drill_id", "=", drillId).executeTakeFirst();
    return row ? parsed<DrillReport>(row.report) : undefined;
  }

  /** Drills with their reports' headline figures, newest first. */
  async history(filter: DrillFilter = {}): Promise<DrillHistoryItem[]> {
    const drills = await this.list(filter);
    if (drills.length === 0) return [];
    const figures = await this.db
      .selectFrom("drill_reports")
      .select(["drill_id", "new_primary_ms", "healthy_ms", "write_outage_ms", "keys_lost"])
      .where(
        "drill_id",
        "in",
        drills.map((d) => d.id),
      )
      .execute();
    const byId = new Map(figures.map((f) => [Number(f.drill_id), f]));
    return drills.map((d) => {
      const f = byId.get(d.id);
      return {
        id: d.id,
        kind: d.kind,
        account: d.account,
        region: d.region,
        replicationGroupId: d.replicationGroupId,
        shards: d.parameters.shards,
        status: d.status,
        verdict: d.verdict,
        requestedAt: d.requestedAt,
        finishedAt: d.finishedAt,
        startedBy: d.actor.name,
        newPrimaryMs: f?.new_primary_ms ?? null,
        healthyMs: f?.healthy_ms ?? null,
        writeOutageMs: f?.write_outage_ms ?? null,
        keysLost: f?.keys_lost ?? null,
        tags: d.tags,
      };
    });
  }

  /** The latest drill of every group that has one, for the stakeholder overview. */
  async latestPerGroup(): Promise<Drill[]> {
    const latest = this.db
      .selectFrom("drills")
      .select(({ fn }) => [fn.max("id").as("id")])
      .groupBy(["account", "region", "replication_group_id"]);
    const rows = await this.db.selectFrom("drills").selectAll().where("id", "in", latest).orderBy("id", "desc").execute();
    return rows.map((row) => this.toDrill(row));
  }

  private staleCutoff(): string {
    return new Date(this.now().getTime() - this.staleAfterMs).toISOString();
  }

  private toDrill(row: DrillRow): Drill {
    const heartbeatAt = iso(row.heartbeat_at);
    const stale = row.status === "running" && this.abandoned(row);
    return {
      id: Number(row.id),
      kind: row.kind as DrillKind,
      account: row.account,
      region: row.region,
      replicationGroupId: row.replication_group_id,
      parameters: parsed<DrillParameters>(row.parameters),
      objectives: parsed<DrillObjectives>(row.objectives),
      tags: parsed<Record<string, string>>(row.tags) ?? {},
      status: stale ? "interrupted" : row.status,
      verdict: row.verdict,
      actor: { id: row.actor_id, name: row.actor_name, email: row.actor_email, role: row.role },
      auditId: row.audit_id === null ? null : Number(row.audit_id),
      requestedAt: iso(row.requested_at),
      finishedAt: row.finished_at === null ? null : iso(row.finished_at),
      heartbeatAt,
      abortRequestedAt: row.abort_requested_at === null ? null : iso(row.abort_requested_at),
      abortRequestedBy: row.abort_requested_by,
      error: stale ? INTERRUPTED_MESSAGE : row.error,
    };
  }
}

function toTimelineEntry(row: TimelineRow): TimelineEntry {
  return {
    id: Number(row.id),
    drillId: Number(row.drill_id),
    at: iso(row.at),
    kind: row.kind as TimelineKind,
    shard: row.shard,
    message: row.message,
    data: parsed(row.data),
  } as TimelineEntry;
}
