// ARNs use the fixed account id 000000000000: the emulator has no accounts, and a recognisable fake id keeps anyone
// from mistaking an emulator ARN for a real one.
export const ACCOUNT_ID = "000000000000";

export type ArnResourceType = "replicationgroup" | "cluster" | "serverlesscache";

export function arnFor(region: string, type: ArnResourceType, id: string): string {
  return `arn:aws:elasticache:${region}:${ACCOUNT_ID}:${type}:${id}`;
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
