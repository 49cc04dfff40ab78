"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { abortDrill } from "@/lib/actions/abort-drill";
import { drillKindLabels } from "@/lib/drills/model";
import { formatInstant } from "@/lib/drills/format";
import type { DrillView } from "@/lib/drills/views";
import { formatSeconds } from "@/lib/duration";
import { LiveStatus, useLiveStream } from "@/components/live/use-live-stream";
import { AbortDrillButton } from "./abort-drill-button";
import { DrillStatusBadge, VerdictBadge } from "./badges";
import { DrillReportView } from "./drill-report";
import { DrillTimeline } from "./drill-timeline";
import { ElapsedClock } from "./elapsed-clock";
import { LazyDrillCharts } from "./lazy-drill-charts";
import { Section } from "./section";
import { ShardStates } from "./shard-states";
import { placeLabel, placeSegment } from "@/lib/place";

interface Props {
  view: DrillView;
  /** The abort action when the viewer's role may run drills. */
  abort: typeof abortDrill | null;
}

/** A drill's page; while it runs, its push stream replaces the view in place as the runner records progress. */
export function LiveDrillPage({ view: rendered, abort }: Props) {
  const [pushed, setPushed] = useState<{ base: DrillView; view: DrillView } | null>(null);
  // A new server render (after an abort, a navigation) starts from its own view again.
  const view = pushed && pushed.base === rendered ? pushed.view : rendered;
  const { drill, report } = view;
  const running = drill.status === "running";
  const target =
    drill.kind === "az-power-interruption"
      ? `${drill.parameters.availabilityZone} for ${formatSeconds(drill.parameters.durationSeconds ?? 0)}`
      : `shard${drill.parameters.shards.length === 1 ? "" : "s"} ${drill.parameters.shards.join(", ")}`;

  return (
    <main className="space-y-6" data-testid="drill-page" data-status={drill.status}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <Link href={`/drills?group=${placeSegment(drill)}/${drill.replicationGroupId}`} className="text-sm text-slate-600 hover:underline dark:text-slate-300">
            ← Drills of {drill.replicationGroupId}
          </Link>
          <h1 className="text-xl font-semibold">
            Drill #{drill.id}: {drillKindLabels[drill.kind]} of {drill.replicationGroupId}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <DrillStatusBadge status={drill.status} /> <VerdictBadge verdict={running ? null : report.verdict.verdict} />
            <span>
              {placeLabel(drill)} · {target} · started {formatInstant(drill.requestedAt)} by {drill.actor.name} · elapsed{" "}
              <ElapsedClock startedAt={drill.requestedAt} finishedAt={drill.finishedAt} renderedAt={view.renderedAt} />
            </span>
          </p>
          {drill.error && <p className="text-sm text-amber-800 dark:text-amber-300">{drill.error}</p>}
          {drill.abortRequestedAt && running && <p className="text-sm">Abort requested by {drill.abortRequestedBy}: stopping before the next shard.</p>}
        </div>
        <div className="flex flex-col items-end gap-2 text-sm">
          {running && <DrillLive drillId={drill.id} renderedAt={view.renderedAt} onView={(next) => setPushed({ base: rendered, view: next })} />}
          {running && abort && !drill.abortRequestedAt && (
            <AbortDrillButton action={abort} account={drill.account} region={drill.region} replicationGroupId={drill.replicationGroupId} drillId={drill.id} />
          )}
          {!running && (
            <p className="flex gap-3">
              Export:
              <a href={`/drills/${drill.id}/export?format=md`} className="text-sky-700 hover:underline dark:text-sky-400">
                Markdown
              </a>
              <a href={`/drills/${drill.id}/export?format=json`} className="text-sky-700 hover:underline dark:text-sky-400">
                JSON
              </a>
            </p>
          )}
          <p className="text-xs text-slate-500 dark:text-slate-400">Share this page&apos;s link with anyone signed in to CacheDeck.</p>
        </div>
      </div>

      <Section id="shards" title="Shards">
        <ShardStates shards={report.shards} phases={view.phases} />
      </Section>
      <Section id="charts" title="Replication lag and connections">
        {view.chartsProblem && <p className="text-sm text-amber-800 dark:text-amber-300">{view.chartsProblem}</p>}
        <LazyDrillCharts charts={view.charts} markers={view.markers} start={view.window.start} end={view.window.end} />
      </Section>
      <Section id="timeline" title="Timeline">
        <DrillTimeline startedAt={drill.requestedAt} entries={view.timeline} />
      </Section>

      {!running && <DrillReportView report={report} />}
    </main>
  );
}

/** The running drill's push stream (open only while it runs): each message is the whole new view. */
function DrillLive({ drillId, renderedAt, onView }: { drillId: number; renderedAt: number; onView: (view: DrillView) => void }) {
  const router = useRouter();
  const live = useLiveStream(`/api/live?view=drill&id=${drillId}`, {
    drill: (data) => onView((data as { view: DrillView }).view),
    gone: () => router.refresh(),
  });
  return <LiveStatus state={live.state} updatedAt={renderedAt} />;
}
