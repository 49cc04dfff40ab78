import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSession, roleName } from "@/lib/auth/session";
import { can, canInSomeAccount, roleIn } from "@/lib/auth/permissions";
import { abortDrill } from "@/lib/actions/abort-drill";
import { loadDrillView } from "@/lib/drills/views";
import { LiveDrillPage } from "@/components/drills/live-drill-page";
import { NotAllowed } from "@/components/drills/not-allowed";

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
  if (!canInSomeAccount(user, "drill.read")) return <NotAllowed role={roleName(user.role)} what="drill reports" />;
  const view = await loadDrillView(drillId(raw));
  if (!view) notFound();
  const role = roleIn(user, view.drill.account);
  if (!can(role, "drill.read")) return <NotAllowed role={`${roleName(role)} in account ${view.drill.account}`} what="its drill reports" />;
  return <LiveDrillPage view={view} abort={can(role, "drill.run") ? abortDrill : null} />;
}
