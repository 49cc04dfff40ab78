// ElastiCache node types with AWS's published memory and vCPUs: what rightsizing chooses among. Kept here (not read
// from the emulator, which app code never imports) and limited to the current families the dashboard recommends.

export interface NodeTypeFacts {
  name: string;
  /** "cache.r7g": a recommendation stays within the family (same memory-to-CPU balance, same generation). */
  family: string;
  vcpus: number;
  memoryGiB: number;
  /**
   * The node's baseline network bandwidth in Gbit/s (what it sustains; above it a node spends network I/O credits up
   * to its burst figure, best effort); null where no checkable published figure was found.
   */
  networkBaselineGbps: number | null;
}

// Baseline bandwidths: AWS's "Supported node types" page of the ElastiCache user guide,
// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html, read on 2026-12-04 through
// its localized copies (zh_cn, de_de, es_es, id_id: the tables carry the same figures as the English page). Those
// tables gave m7g and m6g large–4xlarge and t4g.micro; the r6g, r7g, t3 and other t4g rows were not in what could be
// read, so they stay null (a recommendation to them says the network was not judged) rather than borrowed from
// MemoryDB's or EC2's tables.
const networkBaselineGbps: Record<string, number> = {
  "cache.t4g.micro": 0.064,
  "cache.m6g.large": 0.75,
  "cache.m6g.xlarge": 1.25,
  "cache.m6g.2xlarge": 2.5,
  "cache.m6g.4xlarge": 5.0,
  "cache.m7g.large": 0.937,
  "cache.m7g.xlarge": 1.876,
  "cache.m7g.2xlarge": 3.75,
  "cache.m7g.4xlarge": 7.5,
};

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
  table.map(([name, vcpus, memoryGiB]) => [name, { name, family: name.slice(0, name.lastIndexOf(".")), vcpus, memoryGiB, networkBaselineGbps: networkBaselineGbps[name] ?? null }]),
);

export const GIB = 1024 ** 3;

const byFamily = new Map<string, NodeTypeFacts[]>();
for (const t of [...NODE_TYPE_FACTS.values()].sort((a, b) => a.memoryGiB - b.memoryGiB)) byFamily.set(t.family, [...(byFamily.get(t.family) ?? []), t]);

/** The types of `family`, smallest memory first. */
export function familyTypes(family: string): readonly NodeTypeFacts[] {
  return byFamily.get(family) ?? [];
}
