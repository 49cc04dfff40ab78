import "server-only";
import type { AwsService } from "./call-counter";

export type AwsErrorKind =
  | "credentials"
  | "access-denied"
  | "throttled"
  | "unreachable"
  | "not-found"
  | "invalid-request"
  | "service";

export interface AwsErrorContext {
  service: AwsService;
  region: string;
  operation: string;
}

/** What a page may show about a failed AWS call: plain data, safe to hand to the browser. */
export interface AwsProblem {
  kind: AwsErrorKind;
  region: string;
  message: string;
}

/** Base of every error lib/aws throws. `message` is written for the person reading the page. */
export abstract class AwsError extends Error {
  abstract readonly kind: AwsErrorKind;
  readonly service: AwsService;
  readonly region: string;
  readonly operation: string;
  /** The SDK's error name, such as ReplicationGroupNotFoundFault. */
  readonly awsCode: string | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, context: AwsErrorContext, awsCode?: string, requestId?: string, cause?: unknown) {
    super(message, { cause });
    this.name = new.target.name;
    this.service = context.service;
    this.region = context.region;
    this.operation = context.operation;
    this.awsCode = awsCode;
    this.requestId = requestId;
  }

  toProblem(): AwsProblem {
    return { kind: this.kind, region: this.region, message: this.message };
  }
}

function ofKind<K extends AwsErrorKind>(kind: K) {
  abstract class KindedAwsError extends AwsError {
    readonly kind: K = kind;
  }
  return KindedAwsError;
}

export class AwsCredentialsError extends ofKind("credentials") {}
export class AwsAccessDeniedError extends ofKind("access-denied") {}
export class AwsThrottledError extends ofKind("throttled") {}
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
const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "TimeoutError",
  "RequestTimeout",
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

function networkCode(error: unknown): string | undefined {
  for (let current = error as SdkLikeError | undefined, depth = 0; current && depth < 5; depth += 1) {
    if (current.code && networkCodes.has(current.code)) return current.code;
    if (current.name && networkCodes.has(current.name)) return current.name;
    current = current.cause as SdkLikeError | undefined;
  }
  return undefined;
}

function endpointHint(service: AwsService): string {
  const specific = service === "elasticache" ? "AWS_ENDPOINT_URL_ELASTICACHE" : "AWS_ENDPOINT_URL_CLOUDWATCH";
  const configured = process.env[specific] ?? process.env.AWS_ENDPOINT_URL;
  return configured
    ? `the endpoint ${configured} (from ${process.env[specific] ? specific : "AWS_ENDPOINT_URL"})`
    : `the AWS ${service === "elasticache" ? "ElastiCache" : "CloudWatch"} endpoint`;
}

function iamAction(context: AwsErrorContext): string {
  return `${context.service === "cloudwatch" ? "cloudwatch" : "elasticache"}:${context.operation}`;
}

/** Turns whatever the SDK threw into one of our typed errors, with a message that says what to do. */
export function translateAwsError(error: unknown, context: AwsErrorContext): AwsError {
  if (error instanceof AwsError) return error;
  const sdk = (error ?? {}) as SdkLikeError;
  const code = sdk.name && sdk.name !== "Error" ? sdk.name : sdk.code;
  const status = sdk.$metadata?.httpStatusCode;
  const requestId = sdk.$metadata?.requestId;
  const where = `${context.operation} in ${context.region}`;
  const serviceName = context.service === "elasticache" ? "ElastiCache" : "CloudWatch";
  const detail = sdk.message ? ` (${sdk.message})` : "";

  if (code && credentialCodes.has(code)) {
    return new AwsCredentialsError(
      `AWS rejected or could not find the credentials for ${where}${detail}. Configure credentials the way the AWS ` +
        "CLI does: AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, `aws sso login`, or an instance role.",
      context, code, requestId, error,
    );
  }
  if ((code && accessDeniedCodes.has(code)) || status === 403) {
    return new AwsAccessDeniedError(
      `The AWS identity in use is not allowed to call ${iamAction(context)} in ${context.region}. ` +
        "Attach the read-only policy from docs/iam-policy.md to it.",
      context, code, requestId, error,
    );
  }
  if ((code && throttlingCodes.has(code)) || status === 429) {
    return new AwsThrottledError(
      `AWS is throttling ${where}. Wait a minute and reload; if it keeps happening, slow down live refresh or ` +
        "ask AWS for a higher API rate.",
      context, code, requestId, error,
    );
  }
  const network = networkCode(error);
  if (network) {
    return new AwsEndpointUnreachableError(
      `Could not reach ${endpointHint(context.service)} for ${context.region} (${network}). Check the URL, that the ` +
        "service is running, and the network path to it.",
      context, network, requestId, error,
    );
  }
  // JSON protocols fail to parse a foreign body; awsQuery reports an error it cannot read as "Unknown".
  if (/Deserialization error/i.test(sdk.message ?? "") || code === "Unknown") {
    return new AwsServiceError(
      `${serviceName} ${where} got an answer from ${endpointHint(context.service)} that ${serviceName} would not ` +
        `send${status ? ` (HTTP ${status})` : ""}. Check that the URL points at that service: an emulator without it, ` +
        "a proxy or a login page answers like this.",
      context, code, requestId, error,
    );
  }
  if (code && notFoundCodes.has(code)) {
    return new AwsNotFoundError(sdk.message || `Not found: ${where}.`, context, code, requestId, error);
  }
  if (code && (code.startsWith("InvalidParameter") || code === "ValidationError" || code === "InvalidNextToken")) {
    return new AwsInvalidRequestError(`AWS refused ${where}: ${sdk.message ?? code}`, context, code, requestId, error);
  }
  return new AwsServiceError(
    `${serviceName} failed on ${where}${detail}. ` +
      "Reload in a moment; if it persists, check the service health for the region.",
    context, code, requestId, error,
  );
}

/** Runs one AWS operation (with all its pages) and translates what it throws. */
export async function callAws<T>(context: AwsErrorContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateAwsError(error, context);
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
};

/** AWS's own words, from the SDK error lib/aws wrapped. */
function awsMessageOf(error: AwsError): string {
  const cause = error.cause as { message?: unknown } | undefined;
  return typeof cause?.message === "string" ? cause.message : "";
}

/** A message for an error from lib/aws, or null for anything else (which the action logs as unexpected). */
export function explainAwsRefusal(error: unknown): string | null {
  if (!(error instanceof AwsError)) return null;
  if (error.kind === "access-denied") {
    return `The AWS identity CacheDeck uses may not call elasticache:${error.operation} in ${error.region}. Grant it the operator policy in docs/iam-policy.md.`;
  }
  const specific = error.awsCode ? advice[error.awsCode] : undefined;
  if (typeof specific === "function") return specific(awsMessageOf(error));
  if (specific) return specific;
  return error.message;
}
