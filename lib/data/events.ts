import type { CacheEvent } from "@/lib/aws/model";
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

/** The events as the timeline shows them, newest first. */
export function toEventViews(events: CacheEvent[]): EventView[] {
  return events
    .map((e) => ({
      t: e.at,
      source: e.sourceId,
      sourceType: e.sourceType,
      message: e.message,
      category: categorizeEvent(e.message),
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
