import { z } from "zod";
import { parseInput, qDate, qInt } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { EVENT_RETENTION_MS } from "../state/events";
import { SOURCE_TYPES } from "../state/model";
import { maxRecords } from "./input-schemas";
import { pageOf } from "./paging";

const MAX_DURATION_MINUTES = EVENT_RETENTION_MS / 60_000;
const DEFAULT_WINDOW_MS = 60 * 60_000;

const describeSchema = z.object({
  SourceIdentifier: z.string().optional(),
  SourceType: z.enum(SOURCE_TYPES).optional(),
  StartTime: qDate.optional(),
  EndTime: qDate.optional(),
  Duration: qInt
    .refine((n) => n >= 1 && n <= MAX_DURATION_MINUTES, `Duration must be between 1 and ${MAX_DURATION_MINUTES} minutes (14 days)`)
    .optional(),
  MaxRecords: maxRecords,
  Marker: z.string().optional(),
});

/**
 * The window, as AWS's CLI documents it: StartTime..EndTime when given (EndTime defaults to now, StartTime to an hour
 * before EndTime); otherwise the last Duration minutes (default 60). Nothing older than 14 days is kept.
 */
function window(input: z.output<typeof describeSchema>, now: Date): { from: Date; to: Date } {
  if (input.StartTime || input.EndTime) {
    const to = input.EndTime ?? now;
    return { from: input.StartTime ?? new Date(to.getTime() - DEFAULT_WINDOW_MS), to };
  }
  return { from: new Date(now.getTime() - (input.Duration ? input.Duration * 60_000 : DEFAULT_WINDOW_MS)), to: now };
}

export function describeEvents(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const { from, to } = window(input, ctx.receivedAt);
    const fromIso = from.toISOString();
    const toIso = to.toISOString();
    const sourceId = input.SourceIdentifier?.toLowerCase();
    // Newest first, as AWS lists them.
    const events = cp
      .regionState(ctx.region)
      .events.filter(
        (e) =>
          e.date >= fromIso &&
          e.date <= toIso &&
          (!input.SourceType || e.sourceType === input.SourceType) &&
          (!sourceId || e.sourceIdentifier === sourceId),
      )
      .reverse();
    const page = pageOf(events, (e) => String(e.seq).padStart(12, "0"), input.MaxRecords, input.Marker, "descending");
    return {
      Marker: page.marker,
      Events: page.items.map((e) => ({ SourceIdentifier: e.sourceIdentifier, SourceType: e.sourceType, Message: e.message, Date: new Date(e.date) })),
    };
  };
}
