import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Role } from "@/lib/auth/permissions";
import { CHAIN_ACCOUNT, regionPattern } from "@/lib/place";

// The accounts file (CACHEDECK_ACCOUNTS_FILE): the AWS accounts CacheDeck shows, each a short name, the role to
// assume in it, its regions and, optionally, who has which role there (docs/accounts.md). Parsed and validated here,
// as a section of lib/env.ts's one parse at start-up; lib/accounts.ts answers questions about the result.

/** Who has a role in one account: exact e-mail addresses, "@domain" for a whole domain, OIDC group names. */
export interface PeopleRule {
  emails: string[];
  groups: string[];
}

export interface Account {
  name: string;
  /** The role CacheDeck assumes in the account through STS; null for the credential chain's own account. */
  roleArn: string | null;
  externalId: string | null;
  sessionName: string;
  regions: string[];
  /** The role AWS Fault Injection Service assumes there for AZ power drills; null: CACHEDECK_FIS_ROLE_ARN. */
  fisRoleArn: string | null;
  /** The SNS topic there that recommended alarms notify; null: CACHEDECK_ALARM_SNS_TOPIC_ARN's, if that is in this account. */
  alarmTopicArn: string | null;
  /** Role rules for this account alone; a person none of them names keeps their role from the global rules. */
  people: Record<Role, PeopleRule>;
}

export interface AccountsConfig {
  /** From the file, in its order; the one "default" account without a file. */
  accounts: Account[];
  /** Old single-account URLs (a bare region) lead to this account: the file's first. */
  defaultAccount: string;
  /** Whether the accounts came from a file (URLs then name the account). */
  fromFile: boolean;
}

/** Short names go into URLs and audit records: lower-case letters, digits and hyphens. */
export const accountNamePattern = /^[a-z][a-z0-9-]{0,31}$/;
/** An SNS topic's ARN (the topic recommended alarms notify). */
export const snsTopicArnPattern = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[\w-]{1,256}$/;
const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const peopleRuleSchema = z
  .strictObject({
    emails: z.array(z.string().trim().min(3).transform((e) => e.toLowerCase())).default([]),
    groups: z.array(z.string().trim().min(1)).default([]),
  })
  .default({ emails: [], groups: [] });

const accountSchema = z.strictObject({
  name: z
    .string()
    .regex(accountNamePattern, "must be a short name: a lower-case letter, then letters, digits and hyphens (at most 32)")
    .refine((name) => name !== CHAIN_ACCOUNT, `"${CHAIN_ACCOUNT}" is reserved for the credential chain's own account (no accounts file); choose another name`),
  roleArn: z.string().regex(roleArnPattern, "must be an IAM role ARN, such as arn:aws:iam::123456789012:role/cachedeck-read-only"),
  externalId: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, "must be 2 to 1224 characters: letters, digits and +=,.@:/-")
    .optional(),
  sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/, "must be 2 to 64 characters: letters, digits and +=,.@-").default("cachedeck"),
  regions: z
    .array(z.string().regex(regionPattern, "is not an AWS region name such as us-east-1"))
    .min(1, "must list at least one region")
    .refine((list) => new Set(list).size === list.length, "lists a region twice"),
  fisRoleArn: z.string().regex(roleArnPattern, "must be an IAM role ARN").optional(),
  alarmTopicArn: z.string().regex(snsTopicArnPattern, "must be an SNS topic ARN, such as arn:aws:sns:us-east-1:123456789012:cache-alarms").optional(),
  people: z
    .strictObject({ admin: peopleRuleSchema, operator: peopleRuleSchema, viewer: peopleRuleSchema })
    .default({ admin: { emails: [], groups: [] }, operator: { emails: [], groups: [] }, viewer: { emails: [], groups: [] } }),
});

const fileSchema = z.strictObject({
  accounts: z
    .array(accountSchema)
    .min(1, "must list at least one account")
    .superRefine((accounts, context) => {
      const seen = new Set<string>();
      accounts.forEach((account, i) => {
        if (seen.has(account.name)) context.addIssue({ code: "custom", path: [i, "name"], message: `"${account.name}" is used by two accounts; names must be unique` });
        seen.add(account.name);
      });
    }),
});

/** Where in the file a problem is, as a person reads it: accounts[1] ("staging").regions[0]. */
function issuePath(path: PropertyKey[], data: unknown): string {
  const accounts = (data as { accounts?: { name?: unknown }[] } | null)?.accounts;
  return path
    .map((part, i) => {
      if (typeof part === "number") {
        const name = i === 1 && Array.isArray(accounts) ? accounts[part]?.name : undefined;
        return `[${part}]${typeof name === "string" ? ` ("${name}")` : ""}`;
      }
      return i === 0 ? String(part) : `.${String(part)}`;
    })
    .join("");
}

/** The accounts file's text, validated: the accounts, or every problem naming the file and where in it. */
export function parseAccountsFile(text: string, path: string): { value: AccountsConfig; problems?: undefined } | { value?: undefined; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problems: [`CACHEDECK_ACCOUNTS_FILE ${path} is not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `CACHEDECK_ACCOUNTS_FILE ${path}: ${issuePath(issue.path, data) || "the file"}: ${issue.message} (docs/accounts.md)`) };
  }
  const accounts = parsed.data.accounts.map(
    (a): Account => ({
      name: a.name,
      roleArn: a.roleArn,
      externalId: a.externalId ?? null,
      sessionName: a.sessionName,
      regions: a.regions,
      fisRoleArn: a.fisRoleArn ?? null,
      alarmTopicArn: a.alarmTopicArn ?? null,
      people: a.people,
    }),
  );
  return { value: { accounts, defaultAccount: accounts[0].name, fromFile: true } };
}

const nobody = (): Record<Role, PeopleRule> => ({ admin: { emails: [], groups: [] }, operator: { emails: [], groups: [] }, viewer: { emails: [], groups: [] } });

/**
 * The accounts section of the configuration (lib/env.ts reads it with the others): the file CACHEDECK_ACCOUNTS_FILE
 * names, or without it the credential chain's own account in `chainRegions` (CACHEDECK_REGIONS).
 */
export function readAccounts(env: Record<string, string | undefined>, chainRegions: string[]): { value: AccountsConfig; problems?: undefined } | { value?: undefined; problems: string[] } {
  const path = env.CACHEDECK_ACCOUNTS_FILE?.trim();
  if (!path) {
    const chain: Account = { name: CHAIN_ACCOUNT, roleArn: null, externalId: null, sessionName: "cachedeck", regions: chainRegions, fisRoleArn: null, alarmTopicArn: null, people: nobody() };
    return { value: { accounts: [chain], defaultAccount: CHAIN_ACCOUNT, fromFile: false } };
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    return {
      problems: [`CACHEDECK_ACCOUNTS_FILE ${path} cannot be read (${why}): point it at the accounts file (docs/accounts.md), or unset it to show the credential chain's own account`],
    };
  }
  return parseAccountsFile(text, path);
}

