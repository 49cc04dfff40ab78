import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { authorize } from "@/lib/auth/session";
import { getAuditLog } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import { getDatabase } from "@/lib/db/connection";
import { thisRunner } from "@/lib/drills/runner-identity";
import { InFlightGuard } from "@/lib/actions/in-flight-guard";
import { createAction, type ActionDeps, type ActionResult, type ActionSpec } from "@/lib/actions/run-action";

export type { ActionResult, FieldErrors } from "@/lib/actions/run-action";

// An AWS call gets at most half the time after which a pending audit record counts as unfinished, so a record still
// pending past that point can only belong to a process that died.
const MAX_CALL_MS = 60_000;

/** A claim outlives the load and the call (each bounded by callTimeoutMs) and the two audit writes around them. */
const guardMarginMs = 30_000;

let guard: Promise<InFlightGuard> | undefined;

function inFlightGuard(callTimeoutMs: number): Promise<InFlightGuard> {
  if (!guard) {
    guard = getDatabase().then(({ db }) => new InFlightGuard(db, { holder: thisRunner, holdMs: 2 * callTimeoutMs + guardMarginMs }));
    guard.catch(() => {
      guard = undefined;
    });
  }
  return guard;
}

function nextDeps(): ActionDeps {
  const callTimeoutMs = Math.min(MAX_CALL_MS, getEnv().auditUnfinishedAfterMs / 2);
  return {
    authorize,
    auditLog: getAuditLog,
    claimTarget: async (key) => (await inFlightGuard(callTimeoutMs)).claim(key),
    revalidate: (path) => revalidatePath(path),
    callTimeoutMs,
    logError: (message, error) => console.error(`[cachedeck] ${message}`, error),
  };
}

/** A server action built on the recipe, with the request's session, the configured audit log and Next's cache. */
export function defineAction<Schema extends z.ZodType, State, Data>(
  spec: ActionSpec<Schema, State, Data>,
): (input: unknown) => Promise<ActionResult<Data>> {
  let run: ((input: unknown) => Promise<ActionResult<Data>>) | undefined;
  // Built on the first call, when the configuration is read, so `next build` needs none.
  return (input) => {
    run ??= createAction(spec, nextDeps());
    return run(input);
  };
}
