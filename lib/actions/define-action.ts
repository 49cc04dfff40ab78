import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { authorize } from "@/lib/auth/session";
import { getAuditLog } from "@/lib/audit";
import { createAction, type ActionDeps, type ActionResult, type ActionSpec } from "@/lib/actions/run-action";

export type { ActionResult, FieldErrors } from "@/lib/actions/run-action";

const nextDeps: ActionDeps = {
  authorize,
  auditLog: getAuditLog,
  revalidate: (path) => revalidatePath(path),
  callTimeoutMs: 60_000,
  logError: (message, error) => console.error(`[cachedeck] ${message}`, error),
};

/** A server action built on the recipe, with the request's session, the configured audit log and Next's cache. */
export function defineAction<Schema extends z.ZodType, State, Data>(
  spec: ActionSpec<Schema, State, Data>,
): (input: unknown) => Promise<ActionResult<Data>> {
  return createAction(spec, nextDeps);
}
