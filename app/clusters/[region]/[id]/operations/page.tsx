import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { AwsError } from "@/lib/aws";
import { loadOperationsTarget, type OperationsTarget } from "@/lib/data/operations";
import { OperationsPanel } from "@/components/actions/operations-panel";
import { ProblemPanel } from "@/components/ui/problem-panel";

type Params = Promise<{ region: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Operations · ${id}` };
}

/** The group, or the AWS error that kept it from being read (shown on the page, not as a 500). */
async function loadTarget(region: string, id: string, nodeTypes: boolean): Promise<OperationsTarget | AwsError> {
  try {
    return (await loadOperationsTarget(region, id, { nodeTypes })) ?? notFound();
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
}

export default async function OperationsPage({ params }: { params: Params }) {
  const { region, id } = await params;
  const user = await requireSession(`/clusters/${region}/${id}/operations`);
  const group = await loadTarget(region, id, can(user.role, "cluster.scale"));
  const back = (
    <Link href={`/clusters/${region}/${id}`} className="text-sm text-slate-600 hover:underline dark:text-slate-300">
      ← {id}
    </Link>
  );
  if (group instanceof AwsError) {
    return (
      <main className="flex max-w-3xl flex-col gap-4">
        {back}
        <h1 className="text-xl font-semibold">Operations on {id}</h1>
        <ProblemPanel problems={[group.toProblem("the replication group")]} role={user.role} title={`Could not read ${id} from ${region}, so no operation can be offered.`} />
      </main>
    );
  }

  return (
    <main className="flex max-w-3xl flex-col gap-4">
      {back}
      <h1 className="text-xl font-semibold">Operations on {id}</h1>
      <p className="text-sm" data-testid="group-status">
        {region} · status <strong>{group.status}</strong> · automatic failover {group.automaticFailover ?? "disabled"} ·{" "}
        {group.shards.length} shard(s)
      </p>
      {can(user.role, "cluster.test-failover") ? (
        <OperationsPanel user={user} group={group} />
      ) : (
        <p role="note">Your role ({user.role}) can look but not change: operations need an operator or admin.</p>
      )}
    </main>
  );
}
