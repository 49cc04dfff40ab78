// ARNs carry the account that owns the resource: the fleet file's accounts (emulator/accounts.ts), 000000000000 when
// it declares none, a recognisable fake id that nobody mistakes for a real one.

export type ArnResourceType = "replicationgroup" | "cluster" | "serverlesscache";

export function arnFor(account: string, region: string, type: ArnResourceType, id: string): string {
  return `arn:aws:elasticache:${region}:${account}:${type}:${id}`;
}

export interface ParsedArn {
  region: string;
  account: string;
  /** The resource type as written, e.g. "cluster", "replicationgroup", "parametergroup". */
  type: string;
  id: string;
}

/** Undefined when `arn` is not an ElastiCache ARN of the form arn:<partition>:elasticache:<region>:<account>:<type>:<id>. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:aws[a-z-]*:elasticache:([a-z0-9-]+):(\d{12}):([a-z-]+):([A-Za-z0-9-]+)$/.exec(arn);
  return m ? { region: m[1], account: m[2], type: m[3], id: m[4] } : undefined;
}
