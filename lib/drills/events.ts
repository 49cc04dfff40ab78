import { readFailover } from "@/lib/aws/roles";

// ElastiCache's failover events, in AWS's wording, read into facts the runner acts on. Pure: unit-tested on the
// messages the user guide documents.

export type DrillEventFact =
  | { type: "test-failover-called"; nodeGroupId: string }
  | { type: "failover-completed"; from: string; to: string }
  | { type: "recovering"; nodeIds: string[] }
  | { type: "recovered"; nodeIds: string[] }
  | { type: "other" };

const patterns: [RegExp, (m: RegExpMatchArray) => DrillEventFact][] = [
  [/^Test Failover API called for node group (\S+)/i, (m) => ({ type: "test-failover-called", nodeGroupId: m[1] })],
  [/^Recovering cache nodes? (.+)$/i, (m) => ({ type: "recovering", nodeIds: m[1].split(",").map((s) => s.trim()) })],
  [/^Finished recovery for cache nodes? (.+)$/i, (m) => ({ type: "recovered", nodeIds: m[1].split(",").map((s) => s.trim()) })],
];

export function readEvent(message: string): DrillEventFact {
  const failover = readFailover(message);
  if (failover) return { type: "failover-completed", ...failover };
  for (const [pattern, read] of patterns) {
    const match = message.trim().match(pattern);
    if (match) return read(match);
  }
  return { type: "other" };
}

/** An event's identity, to take each one once however the polling windows overlap. */
export function eventKey(event: { date: string; sourceIdentifier: string; message: string }): string {
  return `${event.date}|${event.sourceIdentifier}|${event.message}`;
}
