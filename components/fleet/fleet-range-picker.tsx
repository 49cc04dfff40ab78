"use client";

import { RangePicker } from "@/components/ui/range-picker";
import type { TimeWindow } from "@/lib/data/time-range";
import { useFleetParams } from "./use-fleet-params";

/**
 * The range picker over the address bar's params, not the server's: a sort, a filter or a search changes the URL in
 * the browser alone, and a range link must carry it (and only change the range). Not prefetched: each such change
 * gives the links new hrefs, and Next prefetched every one of them again (12 requests to the server for two sorts, a
 * filter and a search, which otherwise make none).
 */
export function FleetRangePicker({ window }: { window: TimeWindow }) {
  const { params } = useFleetParams();
  return <RangePicker path="/" params={params} window={window} prefetch={false} />;
}
