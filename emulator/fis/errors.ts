import type { z } from "zod";
import { ApiError } from "@/emulator/server/api-error";
import { isMissing } from "@/emulator/server/input";

// FIS's errors, as its model names them: restJson1 sends the shape name in x-amzn-errortype.

export const validation = (message: string) => new ApiError("ValidationException", message, 400);
export const notFound = (message: string) => new ApiError("ResourceNotFoundException", message, 404);
export const conflict = (message: string) => new ApiError("ConflictException", message, 409);

/** Parses `input` with `schema`; the first problem becomes a ValidationException naming the member. */
export function parseFisInput<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join(".");
  throw validation(isMissing(issue) ? `${field} is required` : field ? `Invalid ${field}: ${issue.message}` : issue.message);
}
