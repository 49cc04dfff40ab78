import type { Event } from "@/lib/aws/elasticache";
import type { EventCategory, EventView } from "./model";

const rules: [EventCategory, RegExp][] = [
  ["failover", /failover|promot|primary/i],
  ["scaling", /scal|node type|replica count|shard|reshard|modif|added|removed/i],
  ["node", /recover|reboot|replac|restart|cache node/i],
  ["lifecycle", /creat|delet|restor|snapshot/i],
];

export function categorizeEvent(message: string): EventCategory {
  return rules.find(([, pattern]) => pattern.test(message))?.[0] ?? "other";
}

/** The events of the given sources, newest first. */
export function toEventViews(events: Event[], sources: Set<string>): EventView[] {
  return events
    .filter((e) => e.SourceIdentifier && sources.has(e.SourceIdentifier))
    .map((e) => ({
      t: e.Date ? new Date(e.Date).getTime() : 0,
      source: e.SourceIdentifier ?? "",
      sourceType: e.SourceType ?? "",
      message: e.Message ?? "",
      category: categorizeEvent(e.Message ?? ""),
    }))
    .sort((a, b) => b.t - a.t);
}

export const eventCategoryLabels: Record<EventCategory, string> = {
  failover: "Failover",
  scaling: "Scaling & changes",
  node: "Node recovery",
  lifecycle: "Lifecycle",
  other: "Other",
};
