import Link from "next/link";
import type { DrillHistoryItem } from "@/lib/drills/model";
import { drillKindLabels } from "@/lib/drills/model";
import type { Trend } from "@/lib/drills/trends";
import { formatInstant } from "@/lib/drills/format";
import { formatDuration } from "@/lib/duration";
import { Sparkline } from "@/components/ui/sparkline";
import { DrillStatusBadge, VerdictBadge } from "./badges";
import { TableHead } from "./table-head";
import { placeLabel, placeSegment } from "@/lib/place";

const directionLook: Record<Trend["direction"], string> = {
  slower: "▲ slower",
  faster: "▼ faster",
  steady: "■ steady",
  "insufficient-data": "… not enough drills",
};

/** Is recovery getting slower? One card per measure, with the points it is judged on. */
export function TrendCards({ trends }: { trends: Trend[] }) {
  return (
    <div className="grid gap-3 md:grid-cols-3" data-testid="trends">
      {trends.map((trend) => (
        <div key={trend.metric} className="rounded-md border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900" data-metric={trend.metric} data-direction={trend.direction}>
          <p className="flex items-center justify-between gap-2 font-medium">
            <span>{directionLook[trend.direction]}</span>
            <Sparkline values={trend.points.map((p) => p.value)} label={trend.metric} tone={trend.direction === "slower" ? "red" : "slate"} />
          </p>
          <p>{trend.summary}</p>
        </div>
      ))}
    </div>
  );
}

export function DrillHistoryTable({ items, showGroup }: { items: DrillHistoryItem[]; showGroup: boolean }) {
  if (items.length === 0) return <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm dark:border-slate-700">No drill on record yet.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[48rem] text-left text-sm" data-testid="drill-history">
        <TableHead columns={["Drill", ...(showGroup ? ["Group"] : []), "What", "Started", "Status", "Verdict", "New primary", "Healthy", "Write outage"]} />
        <tbody>
          {items.map((d) => (
            <tr key={d.id} className="border-t border-slate-200 dark:border-slate-800" data-drill={d.id}>
              <td className="py-1 pr-3">
                <Link href={`/drills/${d.id}`} className="text-sky-700 hover:underline dark:text-sky-400">
                  #{d.id}
                </Link>
              </td>
              {showGroup && (
                <td className="py-1 pr-3">
                  <Link href={`/drills?group=${placeSegment(d)}/${d.replicationGroupId}`} className="hover:underline">
                    {d.replicationGroupId}
                  </Link>{" "}
                  <span className="text-xs text-slate-500">{placeLabel(d)}</span>
                </td>
              )}
              <td className="py-1 pr-3">
                {drillKindLabels[d.kind]} {d.shards.join(", ")}
              </td>
              <td className="py-1 pr-3">
                {formatInstant(d.requestedAt)} <span className="text-xs text-slate-500">by {d.startedBy}</span>
              </td>
              <td className="py-1 pr-3">
                <DrillStatusBadge status={d.status} />
              </td>
              <td className="py-1 pr-3">{d.status === "running" ? "—" : <VerdictBadge verdict={d.verdict} />}</td>
              <td className="py-1 pr-3 tabular-nums">{formatDuration(d.newPrimaryMs)}</td>
              <td className="py-1 pr-3 tabular-nums">{formatDuration(d.healthyMs)}</td>
              <td className="py-1 pr-3 tabular-nums">{formatDuration(d.writeOutageMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
