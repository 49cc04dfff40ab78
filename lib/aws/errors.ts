import "server-only";
import { can, type Role } from "@/lib/auth/permissions";
import { awsCallConfig } from "@/lib/env";
import { CHAIN_ACCOUNT, placeLabel, type Place } from "@/lib/place";
import type { AwsService } from "./call-counter";

export type AwsErrorKind =
  | "assume-role"
  | "credentials"
  | "access-denied"
  | "throttled"
  | "timeout"
  | "unreachable"
  | "not-found"
  | "invalid-request"
  | "service";

export interface AwsErrorContext extends Place {
  service: AwsService;
  operation: string;
}

/**
 * One failed read of AWS as plain data: what a page shows, and what a server-side fleet watcher can keep per region
 * and render later. `message` is for every role; `adminDetail` (the endpoint, environment variable names, AWS's own
 * words) is for admins only, and `visibleTo` in lib/data/problems.ts removes it for anyone else.
 */
export interface AwsProblem {
  kind: AwsErrorKind;
  account: string;
  region: string;
  /** What CacheDeck was reading, in words ("replication groups", "metrics"). */
  what: string;
  /** The API operation that failed, such as DescribeReplicationGroups. */
  operation: string;
  /** How long the call ran before it failed. */
  elapsedMs: number;
  /** When it failed (ISO 8601). */
  failedAt: string;
  /** What failed, where, after how long, and what anyone can do about it; no configuration in it. */
  message: string;
  /** Why, and what to check, naming configuration; null when hidden from the reader's role. */
  adminDetail: string | null;
}

/** Base of every error lib/aws throws. `message` is safe for every role; `adminDetail` is not. */
export abstract class AwsError extends Error {
  abstract readonly kind: AwsErrorKind;
  readonly service: AwsService;
  readonly account: string;
  readonly region: string;
  readonly operation: string;
  /** The SDK's error name, such as ReplicationGroupNotFoundFault. */
  readonly awsCode: string | undefined;
  readonly requestId: string | undefined;
  /** What an admin needs to fix it: the endpoint in use, the settings involved, AWS's own words. */
  readonly adminDetail: string;
  /** How long the call ran before it failed. */
  readonly elapsedMs: number;
  readonly failedAt: Date;

  constructor(
    text: { message: string; adminDetail: string },
    context: AwsErrorContext & { elapsedMs: number },
    awsCode?: string,
    requestId?: string,
    cause?: unknown,
  ) {
    super(text.message, { cause });
    this.name = new.target.name;
    this.service = context.service;
    this.account = context.account;
    this.region = context.region;
    this.operation = context.operation;
    this.awsCode = awsCode;
    this.requestId = requestId;
    this.adminDetail = text.adminDetail;
    this.elapsedMs = context.elapsedMs;
    this.failedAt = new Date();
  }

  /** The failure as data, with the admin detail still in: pass it through `visibleTo` before showing it. */
  toProblem(what: string): AwsProblem {
    return {
      kind: this.kind,
      account: this.account,
      region: this.region,
      what,
      operation: this.operation,
      elapsedMs: this.elapsedMs,
      failedAt: this.failedAt.toISOString(),
      message: this.message,
      adminDetail: this.adminDetail,
    };
  }
}

function ofKind<K extends AwsErrorKind>(kind: K) {
  abstract class KindedAwsError extends AwsError {
    readonly kind: K = kind;
  }
  return KindedAwsError;
}

/** CacheDeck could not assume the role of an account from the accounts file (trust policy, ExternalId, SCP). */
export class AwsAssumeRoleError extends ofKind("assume-role") {}
export class AwsCredentialsError extends ofKind("credentials") {}
export class AwsAccessDeniedError extends ofKind("access-denied") {}
export class AwsThrottledError extends ofKind("throttled") {}
/** The endpoint accepted the call (or never refused it) but did not answer within the deadline. */
export class AwsTimeoutError extends ofKind("timeout") {}
/** The endpoint could not be reached at all: refused, reset, unknown host, no route. */
export class AwsEndpointUnreachableError extends ofKind("unreachable") {}
export class AwsNotFoundError extends ofKind("not-found") {}
export class AwsInvalidRequestError extends ofKind("invalid-request") {}
export class AwsServiceError extends ofKind("service") {}

const credentialCodes = new Set([
  "CredentialsProviderError",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSignatureException",
  "MissingAuthenticationToken",
  "IncompleteSignature",
  "TokenRefreshRequired",
]);
const accessDeniedCodes = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure"]);
const throttlingCodes = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
]);
const notFoundCodes = new Set([
  "ReplicationGroupNotFoundFault",
  "CacheClusterNotFoundFault",
  "CacheClusterNotFound",
  "ServerlessCacheNotFoundFault",
  "NodeGroupNotFoundFault",
  "CacheNodeNotFound",
  "ResourceNotFound",
  "ResourceNotFoundException",
]);
// Node's network error codes, in words a person reads after "could not be reached:".
const unreachableReasons = new Map([
  ["ECONNREFUSED", "connection refused"],
  ["ECONNRESET", "connection reset"],
  ["EPIPE", "connection closed"],
  ["ENOTFOUND", "host name not found"],
  ["EAI_AGAIN", "host name lookup failed"],
  ["EHOSTUNREACH", "host unreachable"],
  ["ENETUNREACH", "network unreachable"],
]);
// An attempt's deadline (the SDK's handler names it TimeoutError, with code ETIMEDOUT) or the whole call's budget.
const timeoutCodes = new Set(["TimeoutError", "ETIMEDOUT", "RequestTimeout", "CallBudgetExceededError"]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** The network failure behind an error, looking through its causes: a Node error code or a timeout. */
function networkFailure(error: unknown): { code: string; timeout: boolean; message: string } | undefined {
  for (let current = error as SdkLikeError | undefined, depth = 0; current && depth < 5; depth += 1) {
    for (const code of [current.code, current.name]) {
      if (code && unreachableReasons.has(code)) return { code, timeout: false, message: current.message ?? "" };
      if (code && timeoutCodes.has(code)) return { code, timeout: true, message: current.message ?? "" };
    }
    current = current.cause as SdkLikeError | undefined;
  }
  return undefined;
}

const serviceNames: Record<AwsService, string> = {
  elasticache: "ElastiCache",
  cloudwatch: "CloudWatch",
  tagging: "Resource Groups Tagging API",
  fis: "Fault Injection Service",
  sts: "STS",
  pricing: "Price List API",
};
/** The SDK's own names: its endpoint variable (AWS_ENDPOINT_URL_<id>) and the IAM action prefix. */
const sdkIds: Record<AwsService, { endpoint: string; iam: string }> = {
  elasticache: { endpoint: "ELASTICACHE", iam: "elasticache" },
  cloudwatch: { endpoint: "CLOUDWATCH", iam: "cloudwatch" },
  tagging: { endpoint: "RESOURCE_GROUPS_TAGGING_API", iam: "tag" },
  fis: { endpoint: "FIS", iam: "fis" },
  sts: { endpoint: "STS", iam: "sts" },
  pricing: { endpoint: "PRICING", iam: "pricing" },
};

/** Where the SDK sends this service's calls, naming the variable that says so: for admins only. */
function endpointHint(service: AwsService): string {
  const specific = `AWS_ENDPOINT_URL_${sdkIds[service].endpoint}`;
  const configured = process.env[specific] ?? process.env.AWS_ENDPOINT_URL;
  return configured
    ? `the endpoint ${configured} (from ${process.env[specific] ? specific : "AWS_ENDPOINT_URL"})`
    : `the AWS ${serviceNames[service]} endpoint of the region`;
}

function iamAction(context: AwsErrorContext): string {
  return `${sdkIds[context.service].iam}:${context.operation}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function awsSaid(code: string | undefined, message: string | undefined): string {
  const words = [code, message].filter(Boolean).join(": ");
  return words ? ` AWS said: ${words}` : "";
}

function timeoutAdvice(service: AwsService): string {
  const { budgetMs, attemptTimeoutMs } = awsCallConfig();
  return (
    `CacheDeck sends ${serviceNames[service]} calls to ${endpointHint(service)}. Check that it is up and that the ` +
    "CacheDeck server can reach it (DNS, firewall, proxy, VPC endpoint). A call may take " +
    `CACHEDECK_AWS_CALL_BUDGET_SECONDS (${seconds(budgetMs)}) with its retries, an attempt ` +
    `CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS (${seconds(attemptTimeoutMs)}); raise them only for an endpoint that is slow, not silent.`
  );
}

/** The role CacheDeck failed to assume, found through the causes the SDK wraps it in (lib/aws/clients.ts). */
function assumeRoleFailure(error: unknown): { account: string; roleArn: string; externalId: boolean; cause: SdkLikeError } | undefined {
  for (let current = error as (SdkLikeError & { account?: { name: string; roleArn: string | null; externalId: string | null } }) | undefined, depth = 0; current && depth < 5; depth += 1) {
    if (current.name === "AssumeRoleError" && current.account?.roleArn) {
      return { account: current.account.name, roleArn: current.account.roleArn, externalId: current.account.externalId !== null, cause: (current.cause ?? {}) as SdkLikeError };
    }
    current = current.cause as typeof current;
  }
  return undefined;
}

/** What to fix when AssumeRole fails, by STS's answer; for admins (it names the set-up). */
function assumeRoleAdvice(failure: NonNullable<ReturnType<typeof assumeRoleFailure>>): string {
  const code = failure.cause.name && failure.cause.name !== "Error" ? failure.cause.name : failure.cause.code;
  const said = awsSaid(code, failure.cause.message);
  const network = networkFailure(failure.cause);
  if (network) return `STS could not be reached at ${endpointHint("sts")}: ${network.code}. Check the network path to it.${said}`;
  if (code === "AccessDenied" || code === "AccessDeniedException") {
    return (
      `STS refused sts:AssumeRole of ${failure.roleArn}. Check, in this order: the role exists in the account; its trust policy ` +
      "names the identity CacheDeck runs as (docs/accounts.md); " +
      (failure.externalId ? "the externalId in the accounts file equals the sts:ExternalId the trust policy requires; " : "the trust policy does not require an ExternalId the accounts file lacks; ") +
      `no service control policy of the organization denies sts:AssumeRole; and CacheDeck's own identity may call sts:AssumeRole on the role.${said}`
    );
  }
  if (code === "RegionDisabledException") return `STS is not activated in this region for the account; activate it in IAM's account settings.${said}`;
  if (code && credentialCodes.has(code)) {
    return `CacheDeck's own credentials (which sign the AssumeRole) were not accepted: configure them the way the AWS CLI does (AWS_PROFILE, AWS_ACCESS_KEY_ID, an instance role).${said}`;
  }
  return `Check the accounts file's entry for ${failure.account} and the role's trust policy (docs/accounts.md).${said}`;
}

/** Turns whatever the SDK threw into one of our typed errors, with a message that says what to do. */
export function translateAwsError(error: unknown, context: AwsErrorContext, elapsedMs = 0): AwsError {
  if (error instanceof AwsError) return error;
  const sdk = (error ?? {}) as SdkLikeError;
  const code = sdk.name && sdk.name !== "Error" ? sdk.name : sdk.code;
  const status = sdk.$metadata?.httpStatusCode;
  const requestId = sdk.$metadata?.requestId;
  const where = `${context.operation} in ${placeLabel(context)}`;
  const service = serviceNames[context.service];
  const at = { ...context, elapsedMs };
  const said = awsSaid(code, sdk.message);

  const assumeRole = assumeRoleFailure(error);
  if (assumeRole) {
    return new AwsAssumeRoleError(
      {
        message: `CacheDeck could not assume its role in account ${assumeRole.account}, so nothing of that account can be read or changed. The other accounts are not affected.`,
        adminDetail: assumeRoleAdvice(assumeRole),
      },
      at, code, requestId, error,
    );
  }
  if (code && credentialCodes.has(code)) {
    return new AwsCredentialsError(
      {
        message: `AWS did not accept CacheDeck's credentials for ${where}.`,
        adminDetail:
          "Configure credentials the way the AWS CLI does: AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
          `\`aws sso login\`, or an instance role.${said}`,
      },
      at, code, requestId, error,
    );
  }
  if ((code && accessDeniedCodes.has(code)) || status === 403) {
    return new AwsAccessDeniedError(
      {
        message: `AWS does not allow CacheDeck to call ${iamAction(context)} in ${placeLabel(context)}.`,
        adminDetail:
          `Attach ${context.service === "fis" ? "the drill statements (FIS and iam:PassRole)" : "the read-only policy"} from docs/iam-policy.md to ` +
          `${context.account === CHAIN_ACCOUNT ? "the AWS identity CacheDeck runs as" : `the role CacheDeck assumes in account ${context.account}`}` +
          `${/service control polic/i.test(sdk.message ?? "") ? "; AWS names a service control policy: an SCP of the organization denies it, which no IAM policy in the account can override" : ""}.${said}`,
      },
      at, code, requestId, error,
    );
  }
  if ((code && throttlingCodes.has(code)) || status === 429) {
    return new AwsThrottledError(
      {
        message: `AWS is throttling ${where}. Wait a minute and reload.`,
        adminDetail: `If it keeps happening, slow down live refresh or ask AWS for a higher API rate.${said}`,
      },
      at, code, requestId, error,
    );
  }
  const network = networkFailure(error);
  if (network?.timeout) {
    const connecting = /establish a connection/.test(network.message);
    return new AwsTimeoutError(
      {
        message: `${service} in ${placeLabel(context)} did not answer ${context.operation}: ${connecting ? "no connection" : "no answer"} after ${seconds(elapsedMs)}.`,
        adminDetail: `${timeoutAdvice(context.service)} The SDK said: ${network.message || network.code}`,
      },
      at, network.code, requestId, error,
    );
  }
  if (network) {
    return new AwsEndpointUnreachableError(
      {
        message: `${service} in ${placeLabel(context)} could not be reached for ${context.operation}: ${unreachableReasons.get(network.code)} after ${seconds(elapsedMs)}.`,
        adminDetail:
          `CacheDeck sends ${service} calls to ${endpointHint(context.service)}. Check the URL, that the service is ` +
          `running, and the network path to it. The SDK said: ${network.code}${network.message ? `: ${network.message}` : ""}`,
      },
      at, network.code, requestId, error,
    );
  }
  // JSON protocols fail to parse a foreign body; awsQuery reports an error it cannot read as "Unknown".
  if (/Deserialization error/i.test(sdk.message ?? "") || code === "Unknown") {
    return new AwsServiceError(
      {
        message: `${service} in ${placeLabel(context)} answered ${context.operation} with something ${service} would not send${status ? ` (HTTP ${status})` : ""}.`,
        adminDetail:
          `CacheDeck sends ${service} calls to ${endpointHint(context.service)}. Check that the URL points at ` +
          `${service}: an emulator without it, a proxy or a login page answers like this.`,
      },
      at, code, requestId, error,
    );
  }
  // Not-found and invalid-request answers describe the request the person made, not CacheDeck's set-up: AWS's own
  // words stay in the message.
  if (code && notFoundCodes.has(code)) {
    return new AwsNotFoundError({ message: sdk.message || `Not found: ${where}.`, adminDetail: said.trim() }, at, code, requestId, error);
  }
  if (code && (code.startsWith("InvalidParameter") || code === "ValidationError" || code === "ValidationException" || code === "InvalidNextToken")) {
    return new AwsInvalidRequestError({ message: `AWS refused ${where}: ${sdk.message ?? code}`, adminDetail: said.trim() }, at, code, requestId, error);
  }
  return new AwsServiceError(
    {
      message: `${service} failed on ${where}${code ? ` (${code})` : ""}. Reload in a moment; if it persists, check the AWS Health Dashboard for the region.`,
      adminDetail: said.trim() || "The SDK gave no detail; the server log has the error.",
    },
    at, code, requestId, error,
  );
}

/** Runs one AWS operation (with all its pages) and translates what it throws, with how long it ran. */
export async function callAws<T>(context: AwsErrorContext, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } catch (error) {
    throw translateAwsError(error, context, performance.now() - started);
  }
}

// AWS's refusals of a change, in words that say what to do next. Anything lib/aws raised already carries a message
// written for people; the codes below get a more precise one for the operation at hand.

type Advice = string | ((awsMessage: string) => string);

const advice: Record<string, Advice> = {
  InvalidReplicationGroupStateFault: "The group is not available (it is probably modifying or failing over); try again when it is available.",
  InvalidCacheClusterStateFault: "A node of the group is not available; try again when every node is available.",
  // AWS says which of its conditions failed (failover under way, quota, automatic failover off): pass that on.
  TestFailoverNotAvailableFault: (awsMessage) =>
    `AWS will not start this test failover: ${awsMessage || "a failover may already be running in this group, or the test failover quota for the rolling 24 hours is used up."}`,
  APICallRateForCustomerExceededFault: "The test failover quota for the rolling 24 hours is used up; try again later.",
  NodeGroupNotFoundFault: "That shard no longer exists in the group; reload the page.",
  ReplicationGroupNotFoundFault: "The replication group no longer exists; reload the fleet.",
  InsufficientCacheClusterCapacityFault: "AWS has no capacity for that node type in these Availability Zones right now; try another node type or later.",
  NodeQuotaForClusterExceededFault: "That would exceed the nodes-per-cluster quota; ask AWS Support for a higher quota or use fewer nodes.",
  NodeQuotaForCustomerExceededFault: "That would exceed the account's node quota; ask AWS Support for a higher quota or use fewer nodes.",
  NodeGroupsPerReplicationGroupQuotaExceededFault: "That would exceed the shards-per-group quota; ask AWS Support for a higher quota.",
  NoOperationFault: "Nothing would change: the group already has that configuration.",
  CacheParameterGroupNotFoundFault: "That parameter group no longer exists; reload the page and choose another.",
  CacheParameterGroupAlreadyExistsFault: "A parameter group of that name already exists; reload the page and choose it.",
  CacheParameterGroupQuotaExceededFault: "The region has as many parameter groups as AWS allows; delete an unused one or choose an existing group.",
};

/** AWS's own words, from the SDK error lib/aws wrapped. */
function awsMessageOf(error: AwsError): string {
  const cause = error.cause as { message?: unknown } | undefined;
  return typeof cause?.message === "string" ? cause.message : "";
}

/**
 * A message for an error from lib/aws as `role` may read it, or null for anything else (which the action logs as
 * unexpected). Configuration (endpoints, variable names, AWS's own words about the set-up) is for admins; the default
 * role is the most restricted, for messages anyone may read later (a drill's timeline).
 */
export function explainAwsRefusal(error: unknown, role: Role = "viewer"): string | null {
  if (!(error instanceof AwsError)) return null;
  if (error.kind === "access-denied") {
    return `The AWS identity CacheDeck uses may not call ${error.service === "tagging" ? "tag" : error.service}:${error.operation} in ${placeLabel(error)}. Grant it the operator policy in docs/iam-policy.md.`;
  }
  const specific = error.awsCode ? advice[error.awsCode] : undefined;
  if (typeof specific === "function") return specific(awsMessageOf(error));
  if (specific) return specific;
  // A change whose answer never came may still have been made.
  const unanswered = error.kind === "timeout" && !/^(Describe|List)/.test(error.operation) ? " It may still be applied: check the cluster's events before trying again." : "";
  return can(role, "config.read")
    ? `${error.message}${unanswered} Why (shown to admins): ${error.adminDetail}`
    : `${error.message}${unanswered} If it keeps happening, tell an admin: they see the cause on the cluster page.`;
}
