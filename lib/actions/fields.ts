import "server-only";
import { z } from "zod";
import { dashboardConfig } from "@/lib/env";

// Input fields the operation actions share, with messages written for the form next to the field.

export const regionField = z.string().refine((region) => dashboardConfig().regions.includes(region), {
  message: "Pick one of the regions CacheDeck is configured for.",
});

// ElastiCache's own rule: 1-40 characters, a letter first, letters, digits and single hyphens, no hyphen at the end.
export const replicationGroupIdField = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z](?:[a-z0-9]|-(?!-)){0,39}$/, "A replication group id: a letter, then letters, digits and single hyphens (at most 40).")
  .refine((id) => !id.endsWith("-"), "A replication group id cannot end with a hyphen.");

export const nodeGroupIdField = z.string().regex(/^\d{4}$/, "A shard id has four digits, such as 0001.");

/** The person types the group's id to show they mean it; compared after the id field is validated. */
export const confirmationField = z.string();

export function confirmationMatches(value: { replicationGroupId: string; confirmation: string }): boolean {
  return value.confirmation.trim().toLowerCase() === value.replicationGroupId;
}

export const confirmationIssue = { path: ["confirmation"], message: "Type the replication group's id exactly to confirm." };

/** The audit keeps what was asked for; the typed confirmation only proved the person meant it. */
export function withoutConfirmation<T extends { confirmation: string }>(input: T): Omit<T, "confirmation"> {
  const parameters: Partial<T> = { ...input };
  delete parameters.confirmation;
  return parameters as Omit<T, "confirmation">;
}
