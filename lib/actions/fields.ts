import "server-only";
import { z } from "zod";
import { findAccount, fleetPlaces, isConfiguredPlace, type Place } from "@/lib/accounts";

// Input fields the operation actions share, with messages written for the form next to the field.

export const accountField = z.string().refine((account) => findAccount(account) !== undefined, {
  message: "Pick one of the AWS accounts CacheDeck is configured for.",
});

export const regionField = z.string().refine((region) => fleetPlaces().some((place) => place.region === region), {
  message: "Pick one of the regions CacheDeck is configured for.",
});

/**
 * The account shows that region: only configured places reach AWS. An unknown account or region is its own field's
 * error already, so only a known pair that does not go together is reported here.
 */
export function placeIsConfigured(value: Place): boolean {
  const known = findAccount(value.account) !== undefined && fleetPlaces().some((place) => place.region === value.region);
  return !known || isConfiguredPlace(value);
}

export const placeIssue = { path: ["region"], message: "CacheDeck does not show this region for that account." };

export { placeOf } from "@/lib/place";

// ElastiCache's own rule for replication groups, cache clusters and serverless caches alike: 1-40 characters, a letter
// first, letters, digits and single hyphens, no hyphen at the end.
function elastiCacheIdField(what: string) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z](?:[a-z0-9]|-(?!-)){0,39}$/, `A ${what}: a letter, then letters, digits and single hyphens (at most 40).`)
    .refine((id) => !id.endsWith("-"), `A ${what} cannot end with a hyphen.`);
}

export const replicationGroupIdField = elastiCacheIdField("replication group id");

/** A replication group, cache cluster or serverless cache. */
export const cacheIdField = elastiCacheIdField("cache id");

// A number as a person types it or a client posts it: a JSON number, or a string holding one decimal number. Anything
// else ("", " ", null, [], true, "2 replicas") is a field error, never coerced: Number("") and Number([]) are 0, and an
// emptied replica field once removed every replica.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

interface NumberRule {
  /** What to enter, shown for any problem: "Enter a whole number of shards, 1 to 500." */
  message: string;
  min: number;
  max: number;
  /** Whole numbers only (default). */
  whole?: boolean;
  /** `min` itself is not allowed (a time objective of 0 s). */
  aboveMin?: boolean;
}

/** A required number within the rule, with one message for every way of missing it. */
export function numberField({ message, min, max, whole = true, aboveMin = false }: NumberRule) {
  const fits = (n: number) => (aboveMin ? n > min : n >= min) && n <= max && (!whole || Number.isInteger(n));
  return z.preprocess(
    (value) => (typeof value === "string" && DECIMAL.test(value.trim()) ? Number(value.trim()) : value),
    z.number({ error: message }).refine(fits, message),
  );
}

export const nodeGroupIdField = z.string().regex(/^\d{4}$/, "A shard id has four digits, such as 0001.");

// The node families and sizes ElastiCache offers today (current and previous generation); a name outside them is
// refused before any AWS call. What a given group may move to is still AWS's answer (ListAllowedNodeTypeModifications).
const NODE_FAMILIES = ["t2", "t3", "t4g", "m3", "m4", "m5", "m6g", "m7g", "r3", "r4", "r5", "r6g", "r6gd", "r7g", "c7gn"];
const NODE_SIZE = /^(micro|small|medium|large|xlarge|\d{1,2}xlarge)$/;

export const cacheNodeTypeField = z.string().refine(
  (value) => {
    const [prefix, family, size, ...rest] = value.split(".");
    return prefix === "cache" && NODE_FAMILIES.includes(family) && NODE_SIZE.test(size ?? "") && rest.length === 0;
  },
  { message: "Not an ElastiCache node type; choose one from the list (such as cache.r7g.large)." },
);

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
