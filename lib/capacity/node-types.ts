// ElastiCache node types with AWS's published memory and vCPUs: what rightsizing chooses among. Kept here (not read
// from the emulator, which app code never imports) and limited to the current families the dashboard recommends.

export interface NodeTypeFacts {
  name: string;
  /** "cache.r7g": a recommendation stays within the family (same memory-to-CPU balance, same generation). */
  family: string;
  vcpus: number;
  memoryGiB: number;
}

const table: Array<[string, number, number]> = [
  ["cache.t4g.micro", 2, 0.5],
  ["cache.t4g.small", 2, 1.37],
  ["cache.t4g.medium", 2, 3.09],
  ["cache.t3.micro", 2, 0.5],
  ["cache.t3.small", 2, 1.37],
  ["cache.t3.medium", 2, 3.09],
  ["cache.m6g.large", 2, 6.38],
  ["cache.m6g.xlarge", 4, 12.93],
  ["cache.m6g.2xlarge", 8, 26.04],
  ["cache.m6g.4xlarge", 16, 52.26],
  ["cache.m7g.large", 2, 6.38],
  ["cache.m7g.xlarge", 4, 12.93],
  ["cache.m7g.2xlarge", 8, 26.04],
  ["cache.m7g.4xlarge", 16, 52.26],
  ["cache.r6g.large", 2, 13.07],
  ["cache.r6g.xlarge", 4, 26.32],
  ["cache.r6g.2xlarge", 8, 52.82],
  ["cache.r6g.4xlarge", 16, 105.81],
  ["cache.r7g.large", 2, 13.07],
  ["cache.r7g.xlarge", 4, 26.32],
  ["cache.r7g.2xlarge", 8, 52.82],
  ["cache.r7g.4xlarge", 16, 105.81],
];

export const NODE_TYPE_FACTS: ReadonlyMap<string, NodeTypeFacts> = new Map(
  table.map(([name, vcpus, memoryGiB]) => [name, { name, family: name.slice(0, name.lastIndexOf(".")), vcpus, memoryGiB }]),
);

export const GIB = 1024 ** 3;

const byFamily = new Map<string, NodeTypeFacts[]>();
for (const t of [...NODE_TYPE_FACTS.values()].sort((a, b) => a.memoryGiB - b.memoryGiB)) byFamily.set(t.family, [...(byFamily.get(t.family) ?? []), t]);

/** The types of `family`, smallest memory first. */
export function familyTypes(family: string): readonly NodeTypeFacts[] {
  return byFamily.get(family) ?? [];
}
