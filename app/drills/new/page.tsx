import type { Metadata } from "next";
import Link from "next/link";
import { requireSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { AwsError, type AwsProblem } from "@/lib/aws";
import { loadDrillTargets } from "@/lib/data/drill-targets";
import { toProblem } from "@/lib/data/problems";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { drillConfig } from "@/lib/env";
import { startDrill } from "@/lib/actions/start-drill";
import { preflight } from "@/lib/drills";
import { drillKindLabels } from "@/lib/drills/model";
import { observeGroup, type ObservedGroup } from "@/lib/drills/observe";
import { drillEffect, parseDrillChoice } from "@/lib/drills/start-input";
import { ChecklistView } from "@/components/drills/checklist-view";
import { DrillChoiceForm } from "@/components/drills/drill-choice-form";
import { StartDrillForm } from "@/components/drills/start-drill-form";
import type { SearchParams } from "@/components/ui/url";

export const metadata: Metadata = { title: "New drill" };

export default async function NewDrillPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireSession("/drills/new");
  if (!can(user.role, "drill.run")) {
    return (
      <main className="max-w-3xl space-y-3">
        <h1 className="text-xl font-semibold">New drill</h1>
        <p role="note">Your role ({user.role}) can read drill reports but not start drills: that needs an operator or admin.</p>
        <Link href="/drills" className="text-sky-700 hover:underline dark:text-sky-400">
          Drill history
        </Link>
      </main>
    );
  }
  const choice = parseDrillChoice(await searchParams);
  const { targets: options, problems } = await loadDrillTargets();
  const known = options.some((o) => o.region === choice.region && o.id === choice.replicationGroupId);
  let observed: ObservedGroup | null = null;
  let groupProblem: AwsProblem | null = null;
  if (known && choice.region && choice.replicationGroupId) {
    const region = choice.region;
    observed = await observeGroup(region, choice.replicationGroupId).catch((error: unknown) => {
      if (!(error instanceof AwsError)) throw error;
      groupProblem = toProblem(error, region, "the replication group");
      return null;
    });
  }
  const result =
    observed && choice.check && choice.region && choice.replicationGroupId
      ? await preflight({ ...choice, region: choice.region, replicationGroupId: choice.replicationGroupId })
      : null;

  return (
    <main className="max-w-4xl space-y-6">
      <div>
        <Link href="/drills" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
          ← Drills
        </Link>
        <h1 className="text-xl font-semibold">New failover drill</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Choose the group and what to rehearse, run the pre-flight checks, set the objectives and start. The drill runs on the CacheDeck server and
          its page follows it live.
        </p>
      </div>
      <ProblemPanel problems={problems} role={user.role} title="Some regions could not be listed." />
      <DrillChoiceForm choice={choice} options={options} observed={observed ? { shards: observed.shards, clusterMode: observed.clusterMode } : null} />
      {groupProblem && <ProblemPanel problems={[groupProblem]} role={user.role} title={`Could not read ${choice.replicationGroupId}.`} />}
      {result && <ChecklistView checklist={result.checklist} />}
      {result?.checklist.ready && choice.region && choice.replicationGroupId && (
        <StartDrillForm
          action={startDrill}
          region={choice.region}
          replicationGroupId={choice.replicationGroupId}
          kind={choice.kind}
          shards={choice.shards}
          availabilityZone={choice.kind === "az-power-interruption" ? choice.availabilityZone : null}
          durationSeconds={choice.kind === "az-power-interruption" ? choice.durationSeconds : null}
          probe={choice.probe}
          defaults={drillConfig().objectives}
          effect={`${drillKindLabels[choice.kind]}: ${drillEffect(choice, result.checklist.shards)}`}
        />
      )}
    </main>
  );
}
