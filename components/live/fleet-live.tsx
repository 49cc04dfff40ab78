"use client";

import { useMemo, useState } from "react";
import { useApplyFleetChanges } from "@/components/fleet/fleet-store";
import type { FleetChange } from "@/lib/data/fleet-changes";
import { LiveStatus, useLiveStream } from "./use-live-stream";

/**
 * Keeps the fleet page live from its push stream: each message carries the changed rows of one region, applied to
 * the page's store in place (the table re-sorts and re-filters itself; untouched rows do not re-render).
 */
export function FleetLive({ renderedAt, range }: { renderedAt: number; range: { range?: string; from?: string; to?: string } }) {
  const apply = useApplyFleetChanges();
  const [updatedAt, setUpdatedAt] = useState(renderedAt);
  const url = useMemo(() => {
    const query = new URLSearchParams({ view: "fleet" });
    for (const [key, value] of Object.entries(range)) if (value) query.set(key, value);
    return `/api/live?${query}`;
  }, [range]);
  const live = useLiveStream(url, {
    changes: (data) => {
      apply((data as { changes: FleetChange[] }).changes);
      setUpdatedAt(Date.now());
    },
  });
  return <LiveStatus state={live.state} updatedAt={Math.max(updatedAt, renderedAt)} />;
}
