import "server-only";
import { AwsError } from "@/lib/aws";

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
