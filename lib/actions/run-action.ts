import { z } from "zod";
import type { Permission, Role } from "@/lib/auth/permissions";
import type { AuditCompletion, AuditLog } from "@/lib/audit/audit-log";
import type { Release } from "@/lib/actions/in-flight-guard";

export type FieldErrors = Record<string, string[]>;

export type ActionResult<Data> =
  | { ok: true; data: Data; auditId: number }
  | { ok: false; error: string; fieldErrors?: FieldErrors; auditId?: number };

/** Why an action will not run against the state it found; shown next to the action (and the field, if given). */
export interface Refusal {
  error: string;
  fieldErrors?: FieldErrors;
}

export interface Actor {
  id: string;
  name: string;
  email: string | null;
  role: Role;
}

export interface ActionTarget {
  account: string;
  region: string;
  target: string;
}

export interface ActionSpec<Schema extends z.ZodType, State, Data> {
  /** The audit name, e.g. "cluster.test-failover". */
  name: string;
  permission: Permission;
  schema: Schema;
  /** Where the action points: whose role decides (the account's), and what the audit record names. */
  target(input: z.output<Schema>): ActionTarget;
  /** What the audit record keeps as the parameters (default: the whole validated input). */
  auditParameters?(input: z.output<Schema>): Record<string, unknown>;
  /** Fresh state from AWS; throws (explained by `explain`) when the target cannot be read. Bounded by `callTimeoutMs`. */
  load(input: z.output<Schema>): Promise<State>;
  /** A refusal when the fresh state does not allow the action (not available, no replica left, quota). */
  precheck?(input: z.output<Schema>, state: State): Refusal | null;
  /** The AWS call. `signal` aborts it when the action's deadline passes; `context` names who asked and the audit record. */
  execute(input: z.output<Schema>, state: State, signal: AbortSignal, context: { actor: Actor; auditId: number }): Promise<{ data: Data; requestId?: string | null }>;
  /** Paths showing the target, refreshed after the call. */
  revalidate?(input: z.output<Schema>): string[];
  /** A message the actor's role may read and act on for an error AWS (or our AWS layer) raised; null when it is unexpected. */
  explain?(error: unknown, role: Role): string | null;
}

export interface ActionDeps {
  /**
   * The signed-in person if their role in `account` (the target's) grants the permission, with that role; throws an
   * error whose message says why not.
   */
  authorize(permission: Permission, account: string): Promise<Actor>;
  auditLog(): Promise<AuditLog>;
  /**
   * Claims the target ("region/id") for this submission, or null while another submission (on any app instance)
   * is sending an operation to it; see lib/actions/in-flight-guard.ts.
   */
  claimTarget(key: string): Promise<Release | null>;
  revalidate(path: string): void;
  /** Longest wait for loading the target, and for the AWS call; must stay below the audit log's unfinished threshold. */
  callTimeoutMs: number;
  logError(message: string, error: unknown): void;
}

export class ActionTimeoutError extends Error {
  constructor(seconds: number, stage: "load" | "call") {
    super(
      stage === "load"
        ? `AWS did not answer within ${seconds} s while the target was read; nothing was changed. Try again in a minute.`
        : `AWS did not answer within ${seconds} s. Check the cluster's events before trying again: the change may still be applied.`,
    );
    this.name = "ActionTimeoutError";
  }
}

function requestIdOf(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const candidate = error as { requestId?: unknown; $metadata?: { requestId?: unknown } };
  const id = candidate.requestId ?? candidate.$metadata?.requestId;
  return typeof id === "string" ? id : null;
}

async function withDeadline<T>(ms: number, stage: "load" | "call", run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejecting before aborting makes the timeout, not the aborted call's own error, the outcome of the race.
      reject(new ActionTimeoutError(Math.round(ms / 1000), stage));
      controller.abort();
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server-action recipe as one function: validate → authorize → load fresh state and pre-check → audit (pending)
 * → AWS call → audit (outcome, request id) → revalidate → result. Every action is this plus its own spec.
 */
export function createAction<Schema extends z.ZodType, State, Data>(
  spec: ActionSpec<Schema, State, Data>,
  deps: ActionDeps,
): (input: unknown) => Promise<ActionResult<Data>> {
  type Input = z.output<Schema>;

  const explain = (error: unknown, actor: Actor, auditId?: number): string => {
    if (error instanceof ActionTimeoutError) return error.message;
    const message = spec.explain?.(error, actor.role);
    if (message) return message;
    deps.logError(`${spec.name} failed unexpectedly`, error);
    return auditId === undefined
      ? "Something went wrong on the server; nothing was changed. Try again, and tell an admin if it keeps happening."
      : `Something went wrong on the server (audit record #${auditId}); check the cluster before trying again.`;
  };

  /** Audit (pending) → AWS call with a deadline → audit (outcome). */
  const call = async (input: Input, state: State, actor: Actor, where: ActionTarget): Promise<ActionResult<Data>> => {
    let auditLog: AuditLog;
    let auditId: number;
    try {
      auditLog = await deps.auditLog();
      const parameters = spec.auditParameters?.(input) ?? (input as Record<string, unknown>);
      auditId = await auditLog.begin({ actor, action: spec.name, ...where, parameters });
    } catch (error) {
      deps.logError(`${spec.name}: audit log unavailable`, error);
      return { ok: false, error: "The audit log cannot be written, so the operation was not started. Tell an admin." };
    }

    let result: ActionResult<Data>;
    let completion: AuditCompletion;
    try {
      const { data, requestId } = await withDeadline(deps.callTimeoutMs, "call", (signal) => spec.execute(input, state, signal, { actor, auditId }));
      result = { ok: true, data, auditId };
      completion = { outcome: "succeeded", requestId };
    } catch (error) {
      const message = explain(error, actor, auditId);
      result = { ok: false, error: message, auditId };
      completion = { outcome: "failed", requestId: requestIdOf(error), error: message };
    }
    // The AWS call has happened either way: a failure to record it is logged, and the record stays pending, which
    // the audit page shows as unfinished.
    await auditLog
      .complete(auditId, completion)
      .catch((auditError: unknown) => deps.logError(`${spec.name}: audit record #${auditId} not completed`, auditError));
    return result;
  };

  return async (rawInput) => {
    const parsed = spec.schema.safeParse(rawInput);
    if (!parsed.success) {
      const { fieldErrors, formErrors } = z.flattenError(parsed.error);
      return { ok: false, error: formErrors[0] ?? "Some fields need attention.", fieldErrors: fieldErrors as FieldErrors };
    }
    const input = parsed.data;

    // Authorized against the target's account before anything else happens: a refusal makes no AWS call and no audit
    // record.
    const where = spec.target(input);
    let actor: Actor;
    try {
      actor = await deps.authorize(spec.permission, where.account);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : "You may not do this." };
    }

    // A second submission (another tab, a replay, the same form on another app instance) waits its turn instead of
    // sending the operation twice.
    let release: Release | null;
    try {
      release = await deps.claimTarget(`${where.account}/${where.region}/${where.target}`);
    } catch (error) {
      deps.logError(`${spec.name}: in-flight guard unavailable`, error);
      return { ok: false, error: "CacheDeck's database cannot be reached, so the operation was not started. Try again in a minute; tell an admin if it keeps happening." };
    }
    if (!release) {
      return { ok: false, error: `Another operation on ${where.target} is being sent right now; wait for it to finish, then check the cluster.` };
    }
    // Released in `finally` whatever happens: a refusal, a throw, or a deadline (the load and the call each have one,
    // so a target whose region never answers cannot keep it locked).
    try {
      let state: State;
      try {
        state = await withDeadline(deps.callTimeoutMs, "load", () => spec.load(input));
      } catch (error) {
        return { ok: false, error: explain(error, actor) };
      }
      const refusal = spec.precheck?.(input, state);
      if (refusal) return { ok: false, ...refusal };
      const result = await call(input, state, actor, where);
      for (const path of spec.revalidate?.(input) ?? []) deps.revalidate(path);
      return result;
    } finally {
      // A release that fails leaves the claim to expire (holdMs); the operation itself is done either way.
      await release().catch((error: unknown) => deps.logError(`${spec.name}: in-flight claim on ${where.target} not released`, error));
    }
  };
}
