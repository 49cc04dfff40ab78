import { z } from "zod";
import { ApiError } from "./api-error";

// Query requests carry every value as a string, JSON and CBOR carry typed values. These schemas accept both, so an
// operation validates its input once whatever protocol it came by.

export const qString = z.string();
export const qInt = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]).pipe(z.number().int());
export const qNumber = z.union([z.number(), z.string().regex(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/).transform(Number)]);
export const qBool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
/** ISO 8601 (query), epoch seconds (JSON) or a Date (CBOR). */
export const qDate = z.union([
  z.date(),
  z.number().transform((s) => new Date(s * 1000)),
  z.string().transform((s, ctx) => {
    const d = /^\d+(\.\d+)?$/.test(s) ? new Date(Number(s) * 1000) : new Date(s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: `${s} is not a valid timestamp` });
      return z.NEVER;
    }
    return d;
  }),
]);
/** A list; query sends an empty list as `Member=`, which arrives as "". */
export const qList = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === "" ? [] : v), z.array(item));

/** Parses `input` with `schema`, turning the first problem into AWS's InvalidParameterValue / MissingParameter. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join(".");
  if (issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined) {
    throw new ApiError("MissingParameter", `The request must contain the parameter ${field}`, 400);
  }
  throw new ApiError("InvalidParameterValue", field ? `Invalid value for ${field}: ${issue.message}` : issue.message, 400);
}
