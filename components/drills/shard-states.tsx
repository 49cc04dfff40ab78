import type { ShardPhase } from "@/lib/drills/measure";
import type { ShardMeasurement } from "@/lib/drills/model";
import { formatDuration } from "@/lib/duration";
import { TableHead } from "./table-head";

const phaseText: Record<ShardPhase, string> = {
  waiting: "Waiting its turn",
  "failing-over": "Failing over…",
  recovering: "New primary, old one recovering…",
  healthy: "Healthy",
  failed: "Failed",
  stopped: "Stopped",
};

const node = (n: { cacheClusterId: string; availabilityZone: string | null } | null) => (n ? `${n.cacheClusterId} (${n.availabilityZone ?? "?"})` : "—");

/** Each drilled shard: where it is in the drill, and its measured times. */
export function ShardStates({ shards, phases }: { shards: ShardMeasurement[]; phases: { shard: string; phase: ShardPhase }[] }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm" data-testid="shard-states">
        <TableHead columns={["Shard", "State", "New primary after", "Healthy after", "Old primary", "New primary"]} />
        <tbody>
          {shards.map((s) => (
            <tr key={s.shard} className="border-t border-slate-200 dark:border-slate-800" data-testid={`shard-${s.shard}`} data-phase={phases.find((p) => p.shard === s.shard)?.phase}>
              <td className="py-1 pr-3 font-mono">{s.shard}</td>
              <td className="py-1 pr-3">{phaseText[phases.find((p) => p.shard === s.shard)?.phase ?? "waiting"]}</td>
              <td className="py-1 pr-3 tabular-nums" data-testid="new-primary-ms" data-ms={s.newPrimaryMs ?? ""}>{formatDuration(s.newPrimaryMs)}</td>
              <td className="py-1 pr-3 tabular-nums" data-testid="healthy-ms" data-ms={s.healthyMs ?? ""}>{formatDuration(s.healthyMs)}</td>
              <td className="py-1 pr-3">{node(s.oldPrimary)}</td>
              <td className="py-1 pr-3" data-testid="new-primary">{node(s.newPrimary)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
