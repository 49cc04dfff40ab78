import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { authorize } from "@/lib/auth/session";
import { getAuditLog } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import { createAction, type ActionDeps, type ActionResult, type ActionSpec } from "@/lib/actions/run-action";

export type { ActionResult, FieldErrors } from "@/lib/actions/run-action";

// An AWS call gets at most half the time after which a pending audit record counts as unfinished, so a record still
// pending past that point can only belong to a process that died.
const MAX_CALL_MS = 60_000;

function nextDeps(): ActionDeps {
  return {
    authorize,
    auditLog: getAuditLog,
    revalidate: (path) => revalidatePath(path),
    callTimeoutMs: Math.min(MAX_CALL_MS, getEnv().auditUnfinishedAfterMs / 2),
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
