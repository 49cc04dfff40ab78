"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useLiveStream } from "@/components/live/use-live-stream";
import { unpackDetail, type WireDetail } from "@/lib/data/chart-wire";
import type { ClusterDetail } from "@/lib/data/model";
import { withRoles } from "@/lib/data/roles";
import { ClusterView, type ClusterViewProps } from "./cluster-view";

type Props = Omit<ClusterViewProps, "live" | "detail"> & { detail: WireDetail; segment: "clusters" | "serverless"; account: string; region: string; id: string };

/** A detail arrives with its charts packed (lib/data/chart-wire.ts), as the page's own does. */
type Pushed = { type: "detail"; detail: WireDetail } | { type: "roles"; roles: Record<string, "primary" | "replica"> };

/**
 * A cluster page kept live by its push stream: a new read of the shared detail replaces the shown one in place, and
 * a failover's new roles are applied the moment the server hears of them, before any chart catches up.
 */
export function LiveClusterView({ segment, account, region, id, detail: rendered, renderedAt, params, ...rest }: Props) {
  const router = useRouter();
  const [pushed, setPushed] = useState<{ base: WireDetail; detail: ClusterDetail; at: number } | null>(null);
  const unpacked = useMemo(() => unpackDetail(rendered), [rendered]);
  // A new server render (another range, a navigation) starts from its own detail again.
  const current = pushed && pushed.base === rendered ? pushed : { base: rendered, detail: unpacked, at: renderedAt };
  const url = useMemo(() => {
    const query = new URLSearchParams({ view: segment, account, region, id });
    for (const key of ["range", "from", "to", "node"]) if (params[key]) query.set(key, params[key]);
    return `/api/live?${query}`;
  }, [segment, account, region, id, params]);
  const live = useLiveStream(url, {
    detail: (data) => setPushed({ base: rendered, detail: unpackDetail((data as Pushed & { type: "detail" }).detail), at: Date.now() }),
    roles: (data) =>
      setPushed((before) => {
        const from = before && before.base === rendered ? before.detail : unpacked;
        return { base: rendered, detail: withRoles(from, (data as Pushed & { type: "roles" }).roles), at: Date.now() };
      }),
    gone: () => router.refresh(),
  });
  return <ClusterView {...rest} params={params} detail={current.detail} renderedAt={current.at} live={live.state} />;
}
