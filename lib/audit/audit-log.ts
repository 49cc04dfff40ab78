import { currentActionName, recordedActionNames } from "@/lib/audit/action-names";
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from "kysely";
import type { AuditRecordsTable, Database } from "@/lib/db/schema";
import type { Role } from "@/lib/auth/permissions";

export type AuditOutcome = "pending" | "succeeded" | "failed";
/** What a person sees: a pending record older than any call can take was abandoned by a crash, so it is unfinished. */
export type AuditStatus = "in-progress" | "unfinished" | "succeeded" | "failed";
export const auditStatuses: readonly AuditStatus[] = ["in-progress", "unfinished", "succeeded", "failed"];

export interface AuditActor {
  id: string;
  name: string;
  email: string | null;
  role: Role;
}

export interface AuditRequest {
  actor: AuditActor;
  action: string;
  /** The AWS account's short name (lib/accounts.ts; "default" without an accounts file). */
  account: string;
  region: string;
  target: string;
  parameters: Record<string, unknown>;
}

export interface AuditCompletion {
  outcome: "succeeded" | "failed";
  requestId?: string | null;
  error?: string | null;
}

export interface AuditRecord {
  id: number;
  actor: { id: string; name: string; email: string | null };
  role: string;
  action: string;
  account: string;
  region: string;
  target: string;
  parameters: Record<string, unknown>;
  requestedAt: string;
  finishedAt: string | null;
  outcome: AuditOutcome;
  status: AuditStatus;
  requestId: string | null;
  error: string | null;
  /** What the operation's follow-up found once the change finished (the engine upgrade's probe); null: none (yet). */
  followUp: string | null;
}

export interface AuditFilter {
  /** Only this actor's records (operators reading their own). */
  actorId?: string;
  /** Substring of the actor's name or e-mail. */
  who?: string;
  action?: string;
  /** Only records of this AWS account. */
  account?: string;
  status?: AuditStatus;
  /** Substring of the target (replication group id, shard). */
  target?: string;
  from?: Date;
  to?: Date;
  /** Records with an id below this one (the next page, newest first). */
  beforeId?: number;
  limit?: number;
}

export interface AuditLogOptions {
  now?: () => Date;
  /** Age after which a pending record counts as unfinished; longer than the longest AWS call an action allows. */
  unfinishedAfterMs?: number;
}

export const DEFAULT_UNFINISHED_AFTER_MS = 2 * 60_000;
const MAX_LIMIT = 10_000;

type Row = Selectable<AuditRecordsTable>;
type Query = SelectQueryBuilder<Database, "audit_records", Row>;

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The audit log over whichever database is configured: written before an AWS call, completed after it. */
export class AuditLog {
  private readonly now: () => Date;
  private readonly unfinishedAfterMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: AuditLogOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.unfinishedAfterMs = options.unfinishedAfterMs ?? DEFAULT_UNFINISHED_AFTER_MS;
  }

  /** Records an operation about to be attempted; returns its id for `complete`. */
  async begin(request: AuditRequest): Promise<number> {
    const row = await this.db
      .insertInto("audit_records")
      .values({
        actor_id: request.actor.id,
        actor_name: request.actor.name,
        actor_email: request.actor.email,
        role: request.actor.role,
        action: request.action,
        account: request.account,
        region: request.region,
        target: request.target,
        parameters: JSON.stringify(request.parameters),
        requested_at: this.now().toISOString(),
        outcome: "pending",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Records how the attempt ended. A record is completed once; a second completion is refused. */
  async complete(id: number, completion: AuditCompletion): Promise<void> {
    const result = await this.db
      .updateTable("audit_records")
      .set({
        outcome: completion.outcome,
        finished_at: this.now().toISOString(),
        request_id: completion.requestId ?? null,
        error: completion.error ?? null,
      })
      .where("id", "=", id)
      .where("outcome", "=", "pending")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Error(`audit record ${id} is not pending`);
  }

  /** Adds what the follow-up found to a record AWS accepted; once, like a completion. */
  async recordFollowUp(id: number, followUp: string): Promise<void> {
    if (!(await this.settleFollowUp(id, followUp))) throw new Error(`audit record ${id} has a follow-up already or does not exist`);
  }

  /** Notes that `runner` (this process) is running the record's follow-up; its heartbeats keep the note fresh. */
  async followUpRunning(id: number, runner: string): Promise<void> {
    await this.db
      .updateTable("audit_records")
      .set({ follow_up_runner: runner, follow_up_heartbeat_at: this.now().getTime() })
      .where("id", "=", id)
      .where("follow_up", "is", null)
      .execute();
  }

  async followUpHeartbeat(id: number): Promise<void> {
    await this.db.updateTable("audit_records").set({ follow_up_heartbeat_at: this.now().getTime() }).where("id", "=", id).where("follow_up", "is", null).execute();
  }

  /**
   * Follow-ups whose process is gone (no heartbeat for `staleAfterMs`, or its runner known dead) get `finding` as their
   * follow-up, so a record never says "running" for a probe nobody runs. Returns the ids it wrote: the write is
   * conditional on there being none yet, so of several instances sweeping at once exactly one writes each.
   */
  async settleAbandonedFollowUps(options: { staleAfterMs: number; runnerGone: (runner: string) => boolean; finding: (id: number) => string }): Promise<number[]> {
    const cutoff = this.now().getTime() - options.staleAfterMs;
    const running = await this.db
      .selectFrom("audit_records")
      .select(["id", "follow_up_runner", "follow_up_heartbeat_at"])
      .where("follow_up_runner", "is not", null)
      .where("follow_up", "is", null)
      .execute();
    const settled: number[] = [];
    for (const row of running) {
      const id = Number(row.id);
      if (Number(row.follow_up_heartbeat_at ?? 0) >= cutoff && !options.runnerGone(row.follow_up_runner!)) continue;
      if (await this.settleFollowUp(id, options.finding(id))) settled.push(id);
    }
    return settled;
  }

  private async settleFollowUp(id: number, followUp: string): Promise<boolean> {
    const result = await this.db
      .updateTable("audit_records")
      .set({ follow_up: followUp, follow_up_runner: null, follow_up_heartbeat_at: null })
      .where("id", "=", id)
      .where("follow_up", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async get(id: number): Promise<AuditRecord | undefined> {
    const row = await this.db.selectFrom("audit_records").selectAll().where("id", "=", id).executeTakeFirst();
    return row && this.toRecord(row);
  }

  /** Matching records, newest first. */
  async list(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), MAX_LIMIT);
    const rows = await this.filtered(filter).orderBy("id", "desc").limit(limit).execute();
    return rows.map((row) => this.toRecord(row));
  }

  /** The distinct accounts on record (of one actor, when given), for the filter menu. */
  async accounts(actorId?: string): Promise<string[]> {
    let query = this.db.selectFrom("audit_records").select("account").distinct();
    if (actorId !== undefined) query = query.where("actor_id", "=", actorId);
    return (await query.execute()).map((r) => r.account).sort();
  }

  /** The distinct action names on record (of one actor, when given), for the filter menu. */
  async actions(actorId?: string): Promise<string[]> {
    let query = this.db.selectFrom("audit_records").select("action").distinct();
    if (actorId !== undefined) query = query.where("actor_id", "=", actorId);
    const rows = await query.execute();
    return [...new Set(rows.map((r) => currentActionName(r.action)))].sort();
  }

  private filtered(filter: AuditFilter): Query {
    let query: Query = this.db.selectFrom("audit_records").selectAll();
    if (filter.actorId !== undefined) query = query.where("actor_id", "=", filter.actorId);
    if (filter.who) {
      const pattern = likePattern(filter.who);
      query = query.where((eb) =>
        eb.or([
          eb(sql`lower(actor_name)`, "like", sql`${pattern} escape '\\'`),
          eb(sql`lower(coalesce(actor_email, ''))`, "like", sql`${pattern} escape '\\'`),
        ]),
      );
    }
    if (filter.target) query = query.where(sql`lower(target)`, "like", sql`${likePattern(filter.target)} escape '\\'`);
    if (filter.action) query = query.where("action", "in", recordedActionNames(filter.action));
    if (filter.account) query = query.where("account", "=", filter.account);
    if (filter.from) query = query.where("requested_at", ">=", filter.from.toISOString());
    if (filter.to) query = query.where("requested_at", "<=", filter.to.toISOString());
    if (filter.beforeId !== undefined) query = query.where("id", "<", filter.beforeId);
    return filter.status ? this.withStatus(query, filter.status) : query;
  }

  private withStatus(query: Query, status: AuditStatus): Query {
    if (status === "succeeded" || status === "failed") return query.where("outcome", "=", status);
    const cutoff = this.unfinishedCutoff().toISOString();
    return query.where("outcome", "=", "pending").where("requested_at", status === "unfinished" ? "<" : ">=", cutoff);
  }

  private unfinishedCutoff(): Date {
    return new Date(this.now().getTime() - this.unfinishedAfterMs);
  }

  private toRecord(row: Row): AuditRecord {
    const requestedAt = iso(row.requested_at);
    const parameters = typeof row.parameters === "string" ? JSON.parse(row.parameters) : row.parameters;
    return {
      id: Number(row.id),
      actor: { id: row.actor_id, name: row.actor_name, email: row.actor_email },
      role: row.role,
      action: currentActionName(row.action),
      account: row.account,
      region: row.region,
      target: row.target,
      parameters: (parameters ?? {}) as Record<string, unknown>,
      requestedAt,
      finishedAt: row.finished_at === null ? null : iso(row.finished_at),
      outcome: row.outcome,
      status:
        row.outcome !== "pending"
          ? row.outcome
          : new Date(requestedAt) < this.unfinishedCutoff()
            ? "unfinished"
            : "in-progress",
      requestId: row.request_id,
      error: row.error,
      followUp: row.follow_up,
    };
  }
}
