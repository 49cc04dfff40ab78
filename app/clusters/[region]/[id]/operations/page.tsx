import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { loadOperationsTarget } from "@/lib/data/operations";
import { OperationsPanel } from "@/components/actions/operations-panel";

type Params = Promise<{ region: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Operations · ${id}` };
}

export default async function OperationsPage({ params }: { params: Params }) {
  const { region, id } = await params;
  const user = await requireSession(`/clusters/${region}/${id}/operations`);
  const group = await loadOperationsTarget(region, id, { nodeTypes: can(user.role, "cluster.scale") });
  if (!group) notFound();

  return (
    <main className="flex max-w-3xl flex-col gap-4">
      <Link href={`/clusters/${region}/${id}`} className="text-sm text-slate-600 hover:underline dark:text-slate-300">
        ← {id}
      </Link>
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
