import { z } from "zod";

// The AWS accounts an emulator plays. A fleet file may declare several (each with its caches and the IAM roles that
// STS AssumeRole may enter, see emulator/sts); without declarations there is one, DEFAULT_ACCOUNT_ID. The first
// account is the default: requests signed with long-term keys (anything but STS's ASIA… session keys) act in it.

export const DEFAULT_ACCOUNT_ID = "000000000000";
export const DEFAULT_ACCOUNT_NAME = "default";

/** IAM's default MaxSessionDuration of a role; a role may allow up to 12 hours. */
export const DEFAULT_MAX_SESSION_SECONDS = 3600;

export const roleSchema = z.strictObject({
  /** The role's name, as in arn:aws:iam::<account>:role/<name> (IAM's character set, at most 64). */
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, "a role name is 1 to 64 letters, digits or +=,.@_-"),
  /** When set, AssumeRole must pass exactly this ExternalId (the trust policy's sts:ExternalId condition). */
  externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, "an ExternalId is 2 to 1224 letters, digits or +=,.@:/_-").optional(),
  /** The role's MaxSessionDuration in seconds: how long AssumeRole's DurationSeconds may ask for. */
  maxSessionDuration: z.number().int().min(3600).max(43_200).default(DEFAULT_MAX_SESSION_SECONDS),
});
export type Role = z.infer<typeof roleSchema>;

export const accountDeclaration = {
  id: z.string().regex(/^\d{12}$/, "an account id is 12 digits"),
  /** A short name for people and logs, e.g. "production". */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, "an account name is lower-case letters, digits and dashes, at most 50"),
  roles: z.array(roleSchema).default([]),
};

export interface Account {
  id: string;
  name: string;
  roles: Role[];
}

export const DEFAULT_ACCOUNT: Account = { id: DEFAULT_ACCOUNT_ID, name: DEFAULT_ACCOUNT_NAME, roles: [] };

/** The root user of an account: who long-term test keys act as. */
export function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}
