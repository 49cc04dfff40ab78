import { NODE_TYPES, nodeType } from "../state/node-types";
import { invalidCombination, invalidValue } from "./errors";

export const DEFAULT_NODE_TYPE = "cache.t4g.micro";

/** The node type asked for (the emulator's default when omitted), refused when the emulator does not offer it. */
export function requireNodeType(name: string | undefined): string {
  const type = nodeType(name ?? DEFAULT_NODE_TYPE);
  if (!type) throw invalidValue(`Invalid CacheNodeType ${name}; the emulator offers ${[...NODE_TYPES.keys()].join(", ")}`);
  return type.name;
}

/** Parameters for features the emulator does not model are refused by name rather than silently ignored. */
export function refuseUnsupported(input: Record<string, unknown>, names: string[]): void {
  const given = names.find((name) => input[name] !== undefined && !(Array.isArray(input[name]) && (input[name] as unknown[]).length === 0));
  if (given) throw invalidCombination(`${given} is not supported by the emulator; leave it out`);
}

export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
