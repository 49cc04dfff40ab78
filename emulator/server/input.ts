import { z } from "zod";
import { ApiError } from "./api-error";

// Query requests carry every value as a string, JSON and CBOR carry typed values. These schemas accept both, so an
// operation validates its input once whatever protocol it came by.

/** The message of a value of the wrong kind, naming what came: `expected an integer, got "lots"`. */
const expected = (what: string) => ({ error: (issue: { input?: unknown }) => `expected ${what}, got ${shown(issue.input)}` });

/** A value as the client sent it, for a message; a CBOR bignum is a bigint, which JSON cannot show. */
function shown(value: unknown): string {
  if (typeof value === "bigint") return `${value} (too large)`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export const qString = z.string();
export const qInt = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)], expected("an integer")).pipe(z.number().int(expected("an integer")));
export const qNumber = z.union([z.number(), z.string().regex(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/).transform(Number)], expected("a finite number"));
export const qBool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], expected("true or false"));
/** ISO 8601 (query), epoch seconds (JSON) or a Date (CBOR). */
export const qDate = z
  .union([z.date(), z.number(), z.string()], expected("a timestamp (ISO 8601 or epoch seconds)"))
  .transform((value, ctx) => {
    const d =
      value instanceof Date ? value
      : typeof value === "number" || /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000)
      : new Date(value);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: `expected a timestamp (ISO 8601 or epoch seconds), got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return d;
  });
/** A list; query sends an empty list as `Member=`, which arrives as "". */
export const qList = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === "" ? [] : v), z.array(item));

/** Parses `input` with `schema`, turning the first problem into AWS's InvalidParameterValue / MissingParameter. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join(".");
  if (isMissing(issue)) {
    throw new ApiError("MissingParameter", `The request must contain the parameter ${field}`, 400);
  }
  throw new ApiError("InvalidParameterValue", field ? `Invalid value for ${field}: ${issue.message}` : issue.message, 400);
}

/** A required member that was not sent, as opposed to one sent with the wrong type (parsed with `reportInput`). */
export function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code === "invalid_type" && issue.input === undefined;
}
