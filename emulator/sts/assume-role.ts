import { ApiError } from "@/emulator/server/api-error";
import type { Caller, Operation } from "@/emulator/server/service";
import { assumedRoleArn, roleId, type StsSessions } from "./sessions";

// AssumeRole as AWS STS answers it: temporary credentials for a role the fleet file declares, in that role's account.
// Constraints are botocore's sts model (2011-06-15); violations get STS's ValidationError wording. The emulator has no
// IAM policies: a declared role trusts every caller, its optional ExternalId being the one condition checked.

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const DEFAULT_DURATION_SECONDS = 3600;
/** AWS caps a session assumed with session credentials (role chaining) at one hour. */
const CHAINED_MAX_SECONDS = 3600;

/** Session policies, tags and MFA need IAM, which the emulator does not model; ignoring them would grant more than asked. */
const UNMODELLED = ["Policy", "PolicyArns", "Tags", "TransitiveTagKeys", "SerialNumber", "TokenCode", "ProvidedContexts"];

interface StringRule {
  min: number;
  max: number;
  pattern?: { source: string; test: RegExp };
}

const RULES = {
  RoleArn: { min: 20, max: 2048 },
  RoleSessionName: { min: 2, max: 64, pattern: { source: "[\\w+=,.@-]*", test: /^[\w+=,.@-]*$/ } },
  ExternalId: { min: 2, max: 1224, pattern: { source: "[\\w+=,.@:\\/-]*", test: /^[\w+=,.@:/-]*$/ } },
  SourceIdentity: { min: 2, max: 64, pattern: { source: "[\\w+=,.@-]*", test: /^[\w+=,.@-]*$/ } },
} satisfies Record<string, StringRule>;

/** STS's ValidationError: `1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: …`. */
export function validationError(member: string, value: unknown, constraint: string): ApiError {
  const shown = value === undefined ? "null" : `'${String(value)}'`;
  const field = member[0].toLowerCase() + member.slice(1);
  return new ApiError("ValidationError", `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`, 400);
}

function checkString(input: Record<string, unknown>, member: keyof typeof RULES, required: boolean): string | undefined {
  const value = input[member];
  if (value === undefined) {
    if (required) throw validationError(member, value, "Member must not be null");
    return undefined;
  }
  const rule: StringRule = RULES[member];
  if (typeof value !== "string") throw validationError(member, JSON.stringify(value), "Member must be a string");
  if (value.length < rule.min) throw validationError(member, value, `Member must have length greater than or equal to ${rule.min}`);
  if (value.length > rule.max) throw validationError(member, value, `Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test.test(value)) throw validationError(member, value, `Member must satisfy regular expression pattern: ${rule.pattern.source}`);
  return value;
}

function checkDuration(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const seconds = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(seconds)) throw validationError("DurationSeconds", value, "Member must be an integer");
  if (seconds < 900) throw validationError("DurationSeconds", value, "Member must have value greater than or equal to 900");
  if (seconds > 43_200) throw validationError("DurationSeconds", value, "Member must have value less than or equal to 43200");
  return seconds;
}

export function accessDenied(caller: Caller, action: string, resource: string): ApiError {
  return new ApiError("AccessDenied", `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}`, 403);
}

export function assumeRole(sessions: StsSessions, callerOf: (caller: Caller | undefined) => Caller): Operation {
  return async (input, ctx) => {
    const caller = callerOf(ctx.caller);
    const arn = checkString(input, "RoleArn", true)!;
    const sessionName = checkString(input, "RoleSessionName", true)!;
    const externalId = checkString(input, "ExternalId", false);
    const sourceIdentity = checkString(input, "SourceIdentity", false);
    const requested = checkDuration(input.DurationSeconds);
    const unmodelled = UNMODELLED.find((name) => input[name] !== undefined);
    if (unmodelled) throw new ApiError("ValidationError", `The emulator does not model IAM policies, session tags or MFA: ${unmodelled} is not supported`, 400);
    const parts = ROLE_ARN.exec(arn);
    if (!parts) throw new ApiError("ValidationError", `${arn} is not a valid IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`, 400);

    const account = sessions.account(parts[1]);
    const role = account?.roles.find((r) => r.name.toLowerCase() === parts[2].toLowerCase());
    if (!account || !role || (role.externalId !== undefined && role.externalId !== externalId)) {
      throw accessDenied(caller, "sts:AssumeRole", arn);
    }
    if (caller.session && (requested ?? 0) > CHAINED_MAX_SECONDS) {
      throw new ApiError("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400);
    }
    const duration = requested ?? DEFAULT_DURATION_SECONDS;
    if (duration > role.maxSessionDuration) {
      throw new ApiError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400);
    }
    const credentials = sessions.issue(account, role, sessionName, duration);
    return {
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration,
      },
      AssumedRoleUser: { AssumedRoleId: `${roleId(account.id, role.name)}:${sessionName}`, Arn: assumedRoleArn(account.id, role.name, sessionName) },
      SourceIdentity: sourceIdentity,
    };
  };
}
