import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/session";
import { can, roleIn } from "@/lib/auth/permissions";
import { AwsError } from "@/lib/aws";
import { isStandaloneRedis, loadOperationsTarget, type OperationsTarget } from "@/lib/data/operations";
import { parsePrefill } from "@/lib/data/operation-prefill";
import { flatParams, type SearchParams } from "@/components/ui/url";
import { routePlace } from "@/lib/data/route-params";
import { CHAIN_ACCOUNT, placeLabel, type Place } from "@/lib/place";
import { OperationsPanel } from "@/components/actions/operations-panel";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { NotAllowed } from "@/components/drills/not-allowed";
import { StandaloneUpgradeAdvice } from "@/components/cluster/standalone-upgrade-advice";

/** `region` is the account-qualified region segment ("staging~us-east-1", lib/place.ts). */
type Params = Promise<{ region: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Operations · ${id}` };
}

/** The group, or the AWS error that kept it from being read (shown on the page, not as a 500). */
async function loadTarget(place: Place, id: string, mayScale: boolean, upgradeAsked: boolean): Promise<OperationsTarget | "standalone" | AwsError> {
  try {
    const group = await loadOperationsTarget(place, id, { nodeTypes: mayScale, upgrade: mayScale });
    if (group) return group;
    // The posture panel of a standalone cluster explains its upgrade itself; a stale or hand-made link lands here.
    return upgradeAsked && (await isStandaloneRedis(place, id)) ? "standalone" : notFound();
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
}

export default async function OperationsPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const { region: segment, id } = await params;
  const query = flatParams(await searchParams);
  // `?op=upgrade-engine&engine=valkey` (the posture page's link) opens the engine upgrade with Valkey chosen; the
  // rightsizing links pre-fill a scaling form (lib/data/operation-prefill.ts).
  const upgradeTo = query.op === "upgrade-engine" ? query.engine : undefined;
  const prefill = parsePrefill(query);
  const route = routePlace(segment);
  const user = await requireSession(`/clusters/${route?.canonical ?? segment}/${id}/operations`);
  if (!route) notFound();
  if (route.moved) redirect(`/clusters/${route.canonical}/${id}/operations`);
  const { place } = route;
  // What is offered follows the person's role in this group's account; each action checks it again on the server.
  const role = roleIn(user, place.account);
  // Someone with no role in this account is refused before anything is read from it.
  if (role === null) return <NotAllowed role={`none in account ${place.account}`} what="its caches" />;
  const group = await loadTarget(place, id, can(role, "cluster.scale"), upgradeTo !== undefined);
  const back = (
    <Link href={`/clusters/${route.canonical}/${id}`} className="text-sm text-slate-600 hover:underline dark:text-slate-300">
      ← {id}
    </Link>
  );
  if (group === "standalone") {
    return (
      <main className="flex max-w-3xl flex-col gap-4">
        {back}
        <h1 className="text-xl font-semibold">Upgrading the engine of {id}</h1>
        <StandaloneUpgradeAdvice id={id} />
      </main>
    );
  }
  if (group instanceof AwsError) {
    return (
      <main className="flex max-w-3xl flex-col gap-4">
        {back}
        <h1 className="text-xl font-semibold">Operations on {id}</h1>
        <ProblemPanel problems={[group.toProblem("the replication group")]} role={role} title={`Could not read ${id} from ${placeLabel(place)}, so no operation can be offered.`} />
      </main>
    );
  }

  return (
    <main className="flex max-w-3xl flex-col gap-4">
      {back}
      <h1 className="text-xl font-semibold">Operations on {id}</h1>
      <p className="text-sm" data-testid="group-status">
        {placeLabel(place)} · status <strong>{group.status}</strong> · automatic failover {group.automaticFailover ?? "disabled"} ·{" "}
        {group.shards.length} shard(s)
      </p>
      {can(role, "cluster.test-failover") ? (
        <>
          {prefill && can(role, "cluster.scale") && (
            <p role="note" className="text-sm text-slate-700 dark:text-slate-300" data-testid="prefill-note">
              Pre-filled from the capacity recommendation on {id}&apos;s page: check the figures, then confirm below.
            </p>
          )}
          <OperationsPanel user={{ ...user, role }} group={group} upgradeTo={upgradeTo} prefill={prefill} />
        </>
      ) : (
        <p role="note">{`Your role${place.account === CHAIN_ACCOUNT ? "" : ` in account ${place.account}`} (${role}) can look but not change: operations need an operator or admin.`}</p>
      )}
    </main>
  );
}
