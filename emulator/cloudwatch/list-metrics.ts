import { z } from "zod";
import { qBool, qList, qString } from "../server/input";
import type { RequestContext } from "../server/service";
import { invalidValue } from "./errors";
import type { MetricStore, SeriesView } from "./metric-store";
import { decodeToken, encodeToken, fingerprint } from "./paging-token";
import { parseCloudWatchInput } from "./validation";

export const LIST_METRICS_PAGE_SIZE = 500;
const RECENTLY_ACTIVE_MS = 3 * 3600 * 1000;

const inputSchema = z.object({
  Namespace: qString.min(1).max(255).optional(),
  MetricName: qString.min(1).max(255).optional(),
  Dimensions: qList(z.object({ Name: qString.min(1).max(255), Value: qString.min(1).max(1024).optional() })).optional(),
  NextToken: qString.optional(),
  RecentlyActive: qString.optional(),
  IncludeLinkedAccounts: qBool.optional(),
  OwningAccount: qString.optional(),
});

export function listMetrics(store: MetricStore) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(inputSchema, raw);
    const filters = input.Dimensions ?? [];
    if (filters.length > 10) throw invalidValue("The collection Dimensions must not have a size greater than 10.");
    if (input.RecentlyActive !== undefined && input.RecentlyActive !== "PT3H") {
      throw invalidValue(`The value ${input.RecentlyActive} for parameter RecentlyActive is not valid. The only valid value is PT3H.`);
    }
    const { NextToken, ...filter } = input;
    const requestFingerprint = fingerprint(filter);
    const after = NextToken === undefined ? undefined : decodeToken<string>(NextToken, requestFingerprint, "string");
    const activeSince = input.RecentlyActive ? store.nowSeconds() * 1000 - RECENTLY_ACTIVE_MS : -Infinity;

    const matches = (s: SeriesView) =>
      (input.Namespace === undefined || s.id.namespace === input.Namespace) &&
      (input.MetricName === undefined || s.id.metricName === input.MetricName) &&
      s.lastWrite >= activeSince &&
      filters.every((f) => s.id.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
    const selected = [...store.all(ctx.region)].filter((s) => matches(s) && (after === undefined || s.key > after));
    selected.sort((a, b) => (a.key < b.key ? -1 : 1));
    const page = selected.slice(0, LIST_METRICS_PAGE_SIZE);
    return {
      Metrics: page.map((s) => ({
        Namespace: s.id.namespace,
        MetricName: s.id.metricName,
        Dimensions: s.id.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })),
      })),
      NextToken: selected.length > page.length ? encodeToken(page[page.length - 1].key, requestFingerprint) : undefined,
    };
  };
}
