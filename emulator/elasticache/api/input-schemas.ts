import { z } from "zod";
import { qInt, qList } from "@/emulator/server/input";
import { tag } from "../state/model";

// Schemas shared by several ElastiCache operations. Messages follow AWS's style so a client shows something useful.

/**
 * An ElastiCache identifier: letters, digits and hyphens, starting with a letter, no trailing or doubled hyphen.
 * AWS stores identifiers in lower case, and so do we.
 */
export function resourceId(kind: string, maxLength: number) {
  return z
    .string()
    .transform((s) => s.toLowerCase())
    .refine((s) => s.length >= 1 && s.length <= maxLength, `${kind} must contain from 1 to ${maxLength} characters`)
    .refine(
      (s) => /^[a-z][a-z0-9-]*$/.test(s) && !s.endsWith("-") && !s.includes("--"),
      `${kind} must begin with a letter and contain only ASCII letters, digits and hyphens; it cannot end with a hyphen or contain two consecutive hyphens`,
    );
}

/** An optional identifier used as a filter: lower-cased, not validated (an unknown one is simply not found). */
export const idFilter = z
  .string()
  .transform((s) => s.toLowerCase())
  .optional();

/** MaxRecords of the Describe* calls: 20–100, default 100. */
export const maxRecords = qInt
  .refine((n) => n >= 20 && n <= 100, "MaxRecords must be between 20 and 100")
  .optional()
  .transform((n) => n ?? 100);

export const tagList = qList(tag);
