import type { Metadata } from "next";
import Link from "next/link";
import { requireSession, roleName } from "@/lib/auth/session";
import { can, canInSomeAccount, roleIn } from "@/lib/auth/permissions";
import { accountsConfig, placesWhere } from "@/lib/accounts";
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
  // Someone who may run drills in one account only gets the page; the target's account decides below (and on the server).
  if (!canInSomeAccount(user, "drill.run")) {
    return (
      <main className="max-w-3xl space-y-3">
        <h1 className="text-xl font-semibold">New drill</h1>
        <p role="note">Your role ({roleName(user.role)}) can read drill reports but not start drills: that needs an operator or admin.</p>
        <Link href="/drills" className="text-sky-700 hover:underline dark:text-sky-400">
          Drill history
        </Link>
      </main>
    );
  }
  const parsed = parseDrillChoice(await searchParams);
  // An old link names a bare region: the default account's.
  const choice = { ...parsed, account: parsed.region ? (parsed.account ?? accountsConfig().defaultAccount) : null };
  const { targets: options, problems } = await loadDrillTargets(placesWhere(user, "fleet.read"));
  const known = options.some((o) => o.account === choice.account && o.region === choice.region && o.id === choice.replicationGroupId);
  const place = known && choice.account && choice.region ? { account: choice.account, region: choice.region } : null;
  let observed: ObservedGroup | null = null;
  let groupProblem: AwsProblem | null = null;
  if (place && choice.replicationGroupId) {
    observed = await observeGroup(place, choice.replicationGroupId).catch((error: unknown) => {
      if (!(error instanceof AwsError)) throw error;
      groupProblem = toProblem(error, place, "the replication group");
      return null;
    });
  }
  // Drills are offered by the person's role in the group's account (the action checks it again on the server).
  const mayRun = place === null || can(roleIn(user, place.account), "drill.run");
  const result =
    observed && mayRun && choice.check && place && choice.replicationGroupId
      ? await preflight({ ...choice, ...place, replicationGroupId: choice.replicationGroupId })
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
      {!mayRun && place && (
        <p role="note" data-testid="drill-not-allowed">
          {`Your role in account ${place.account} (${roleName(roleIn(user, place.account))}) cannot start drills there.`}
        </p>
      )}
      {result?.checklist.ready && place && choice.replicationGroupId && (
        <StartDrillForm
          action={startDrill}
          account={place.account}
          region={place.region}
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
