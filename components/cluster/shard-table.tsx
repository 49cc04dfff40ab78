import type { ShardView } from "@/lib/data/model";
import { formatBytes, formatCount, formatPercent } from "@/components/ui/format";

function Bar({ value, max, hot, text }: { value: number | null; max: number; hot: boolean; text: string }) {
  const width = value === null || max <= 0 ? 0 : Math.max(2, (100 * value) / max);
  return (
    <div className="flex items-center gap-2">
      <div className="h-2 w-24 rounded bg-slate-200 dark:bg-slate-700" aria-hidden="true">
        <div className={`h-2 rounded ${hot ? "bg-red-600 dark:bg-red-400" : "bg-sky-600 dark:bg-sky-400"}`} style={{ width: `${width}%` }} />
      </div>
      <span className={`tabular-nums ${hot ? "font-semibold text-red-700 dark:text-red-300" : ""}`}>{text}</span>
    </div>
  );
}

/** Shards side by side on the same scales: the one carrying more than its share stands out in red. */
export function ShardTable({ shards }: { shards: ShardView[] }) {
  const max = (f: (s: ShardView) => number | null) => Math.max(0, ...shards.map((s) => f(s) ?? 0));
  const isHot = (s: ShardView, label: string) => s.hot.some((h) => h.startsWith(label));
  return (
    <div className="relative overflow-x-auto rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Shards with their slot ranges, keys and load, compared on shared scales</caption>
        <thead className="bg-slate-100 text-left text-xs dark:bg-slate-800">
          <tr>
            {["Shard", "Slots", "Keys", "Commands/s", "Primary CPU", "Memory", "Network out", ""].map((h) => (
              <th key={h} scope="col" className="px-2 py-2 font-medium">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shards.map((s) => (
            <tr key={s.id} className={`border-t border-slate-200 dark:border-slate-800 ${s.hot.length ? "bg-red-50 dark:bg-red-950/40" : ""}`} data-testid="shard-row" data-shard={s.id} data-hot={s.hot.length > 0}>
              <th scope="row" className="px-2 py-2 text-left font-mono">{s.id}<div className="font-sans text-xs font-normal text-slate-500">{s.primary ? `primary ${s.primary}` : ""}</div></th>
              <td className="px-2 py-2 font-mono text-xs">{s.slots ?? "—"}<div className="font-sans text-slate-500">{s.slotCount !== null ? `${s.slotCount.toLocaleString("en-US")} slots` : ""}</div></td>
              <td className="px-2 py-2"><Bar value={s.keys} max={max((x) => x.keys)} hot={isHot(s, "keys")} text={formatCount(s.keys)} /></td>
              <td className="px-2 py-2"><Bar value={s.opsPerSecond} max={max((x) => x.opsPerSecond)} hot={isHot(s, "commands")} text={formatCount(s.opsPerSecond)} /></td>
              <td className="px-2 py-2"><Bar value={s.cpu} max={100} hot={isHot(s, "CPU")} text={formatPercent(s.cpu)} /></td>
              <td className="px-2 py-2"><Bar value={s.memory} max={100} hot={false} text={formatPercent(s.memory)} /></td>
              <td className="px-2 py-2"><Bar value={s.networkOutPerSecond} max={max((x) => x.networkOutPerSecond)} hot={isHot(s, "network")} text={`${formatBytes(s.networkOutPerSecond)}/s`} /></td>
              <td className="px-2 py-2 text-xs">{s.hot.length > 0 && <span className="font-semibold text-red-700 dark:text-red-300">Hot: {s.hot.join(", ")}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
