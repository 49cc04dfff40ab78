// Node types the emulator offers, with AWS's published memory and vCPU figures. A local node gets the real memory
// divided by MEMORY_SCALE as its maxmemory, so a fleet of "large" nodes fits on a laptop and still fills up (and
// evicts) under demo traffic the way the real sizes would relative to each other.
export const MEMORY_SCALE = 256;

export interface NodeType {
  name: string;
  vcpus: number;
  /** Real memory of the AWS node type, GiB. */
  memoryGiB: number;
}

const GIB = 1024 ** 3;

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
  ["cache.m7g.large", 2, 6.38],
  ["cache.m7g.xlarge", 4, 12.93],
  ["cache.m7g.2xlarge", 8, 26.04],
  ["cache.m7g.4xlarge", 16, 52.26],
  ["cache.r6g.large", 2, 13.07],
  ["cache.r6g.xlarge", 4, 26.32],
  ["cache.r6g.2xlarge", 8, 52.82],
  ["cache.r7g.large", 2, 13.07],
  ["cache.r7g.xlarge", 4, 26.32],
  ["cache.r7g.2xlarge", 8, 52.82],
  ["cache.r7g.4xlarge", 16, 105.81],
];

export const NODE_TYPES: ReadonlyMap<string, NodeType> = new Map(
  table.map(([name, vcpus, memoryGiB]) => [name, { name, vcpus, memoryGiB }]),
);

export function nodeType(name: string): NodeType | undefined {
  return NODE_TYPES.get(name);
}

/** Real memory of the type, bytes (what FreeableMemory is measured against). */
export function realMemoryBytes(type: NodeType): number {
  return Math.round(type.memoryGiB * GIB);
}

/** maxmemory of a local node of this type, bytes. */
export function localMaxmemoryBytes(type: NodeType): number {
  return Math.round((type.memoryGiB * GIB) / MEMORY_SCALE);
}

/** Types a node may move to: every other known type, split by memory (AWS allows any size within the engine). */
export function allowedModifications(current: string): { scaleUp: string[]; scaleDown: string[] } {
  const from = nodeType(current);
  if (!from) return { scaleUp: [], scaleDown: [] };
  const others = [...NODE_TYPES.values()].filter((t) => t.name !== current);
  return {
    scaleUp: others.filter((t) => t.memoryGiB > from.memoryGiB).map((t) => t.name),
    scaleDown: others.filter((t) => t.memoryGiB < from.memoryGiB).map((t) => t.name),
  };
}
