import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { abortDrill } from "@/lib/actions/abort-drill";
import { drillKindLabels } from "@/lib/drills/model";
import { formatInstant } from "@/lib/drills/format";
import { formatSeconds } from "@/lib/duration";
import { loadDrillView } from "@/lib/drills/views";
import { AbortDrillButton } from "@/components/drills/abort-drill-button";
import { DrillStatusBadge, VerdictBadge } from "@/components/drills/badges";
import { DrillReportView } from "@/components/drills/drill-report";
import { DrillTimeline } from "@/components/drills/drill-timeline";
import { ElapsedClock } from "@/components/drills/elapsed-clock";
import { LazyDrillCharts } from "@/components/drills/lazy-drill-charts";
import { NotAllowed } from "@/components/drills/not-allowed";
import { Section } from "@/components/drills/section";
import { ShardStates } from "@/components/drills/shard-states";
import { LiveRefresh } from "@/components/ui/live-refresh";

type Params = Promise<{ id: string }>;

function drillId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Drill #${(await params).id}` };
}

export default async function DrillPage({ params }: { params: Params }) {
  const { id: raw } = await params;
  const user = await requireSession(`/drills/${raw}`);
  if (!can(user.role, "drill.read")) return <NotAllowed role={user.role} what="drill reports" />;
  const view = await loadDrillView(drillId(raw));
  if (!view) notFound();
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
          <Link href={`/drills?group=${drill.region}/${drill.replicationGroupId}`} className="text-sm text-slate-600 hover:underline dark:text-slate-300">
            ← Drills of {drill.replicationGroupId}
          </Link>
          <h1 className="text-xl font-semibold">
            Drill #{drill.id}: {drillKindLabels[drill.kind]} of {drill.replicationGroupId}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <DrillStatusBadge status={drill.status} /> <VerdictBadge verdict={running ? null : report.verdict.verdict} />
            <span>
              {drill.region} · {target} · started {formatInstant(drill.requestedAt)} by {drill.actor.name} · elapsed{" "}
              <ElapsedClock startedAt={drill.requestedAt} finishedAt={drill.finishedAt} renderedAt={view.renderedAt} />
            </span>
          </p>
          {drill.error && <p className="text-sm text-amber-800 dark:text-amber-300">{drill.error}</p>}
          {drill.abortRequestedAt && running && <p className="text-sm">Abort requested by {drill.abortRequestedBy}: stopping before the next shard.</p>}
        </div>
        <div className="flex flex-col items-end gap-2 text-sm">
          {running && <LiveRefresh seconds={1} renderedAt={view.renderedAt} />}
          {running && can(user.role, "drill.run") && !drill.abortRequestedAt && (
            <AbortDrillButton action={abortDrill} region={drill.region} replicationGroupId={drill.replicationGroupId} drillId={drill.id} />
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
