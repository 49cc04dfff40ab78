import Link from "next/link";
import { memo } from "react";
import type { ClusterDetail } from "@/lib/data/model";
import { formatPeriod } from "@/lib/data/time-range";
import { LazyChartGrid } from "@/components/charts/lazy-chart-grid";
import { LiveStatus, type LiveState } from "@/components/live/use-live-stream";
import { ProblemReports } from "@/components/ui/problem-reports";
import { RangePicker } from "@/components/ui/range-picker";
import { withParams } from "@/components/ui/url";
import { ClusterHeader } from "./cluster-header";
import { EventsTimeline } from "./events-timeline";
import { PosturePanel } from "./posture-panel";
import { RecommendedAlarms, type AlarmsOffer } from "./recommended-alarms";
import { ShardTable as AllShards } from "./shard-table";
import { Topology as AllNodes } from "./topology";

// The page re-renders whenever its stream says something (the live status, a failover's roles). A large cluster's
// sections hold thousands of elements (90 node cards, 540 recommended alarms), so they re-render only when their own
// data changed.
const Topology = memo(AllNodes);
const ShardTable = memo(AllShards);
const Alarms = memo(RecommendedAlarms);
const Events = memo(EventsTimeline);
const Posture = memo(PosturePanel);

function Section({ title, children, id }: { title: string; children: React.ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export interface ClusterViewProps {
  /** Its problems already cut to what the viewer's role may read (the page and the stream do it). */
  detail: ClusterDetail;
  path: string;
  params: Record<string, string>;
  /** When the shown detail was read (or last changed by a push). */
  renderedAt: number;
  live: LiveState;
  notice?: string;
  operationsHref?: string;
  /** For people who may create the cache's missing recommended alarms. */
  alarmsOffer?: AlarmsOffer;
  banner?: React.ReactNode;
  /** The capacity forecast and rightsizing (rendered on the server, from the capacity read). */
  capacity?: React.ReactNode;
}

/** Rendered by LiveClusterView, which swaps in pushed details; nothing here polls. */
export function ClusterView({ detail, path, params, renderedAt, live, notice, operationsHref, alarmsOffer, banner, capacity }: ClusterViewProps) {
  const focus = params.node && detail.nodes.some((n) => n.name === params.node) ? params.node : null;
  const w = detail.window;
  return (
    <main className="space-y-6">
      <ClusterHeader detail={detail} operationsHref={operationsHref} />
      {banner}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <RangePicker path={path} params={params} window={w} />
        <LiveStatus state={live} updatedAt={renderedAt} />
      </div>
      {notice && <p className="text-sm text-amber-800 dark:text-amber-300">{notice}</p>}
      <ProblemReports problems={detail.problems} title="Part of this page could not be loaded." />
      {detail.nodes.length > 0 && (
        <Section title={`Nodes by Availability Zone (${detail.zones.length})`} id="topology">
          <Topology nodes={detail.nodes} zones={detail.zones} path={path} params={params} />
        </Section>
      )}
      {detail.shards.length > 0 && (
        <Section title="Shards" id="shards">
          <ShardTable shards={detail.shards} />
        </Section>
      )}
      {capacity && (
        <Section title="Capacity (14 days)" id="capacity">
          {capacity}
        </Section>
      )}
      <Section title="Metrics" id="metrics">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {w.label} · one point per {formatPeriod(w.period)} · times in UTC
          {focus && (
            <>
              {" "}· showing node <strong>{focus}</strong> —{" "}
              <Link href={withParams(path, params, { node: undefined })} className="underline">show all nodes</Link>
            </>
          )}
        </p>
        <LazyChartGrid charts={detail.charts} events={detail.events} alarmMarkers={detail.alarms?.markers} start={w.start} end={w.end} />
      </Section>
      <Section title="Recommended alarms" id="alarms">
        <Alarms alarms={detail.alarms} offer={alarmsOffer} />
      </Section>
      <Section title="Events" id="events">
        <Events events={detail.events} />
      </Section>
      <Section title="Engine support and security posture" id="posture">
        <Posture summary={detail.summary} />
      </Section>
    </main>
  );
}
