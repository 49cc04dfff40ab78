import Form from "next/form";
import Link from "next/link";
import { rangePresets, type RangePreset, type TimeWindow } from "@/lib/data/time-range";
import { withParams } from "./url";

const short: Record<RangePreset, string> = { "15m": "15m", "1h": "1h", "3h": "3h", "12h": "12h", "24h": "24h", "7d": "7d" };
const toLocalInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/**
 * Preset links plus a custom range form; everything lives in the URL, so a view can be shared as a link.
 * `prefetch={false}` where `params` change in the browser: each change would otherwise prefetch every preset again.
 */
export function RangePicker({ path, params, window, prefetch }: { path: string; params: Record<string, string>; window: TimeWindow; prefetch?: false }) {
  const keep = Object.entries(params).filter(([k]) => !["range", "from", "to"].includes(k));
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <nav aria-label="Time range" className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
        {(Object.keys(rangePresets) as RangePreset[]).map((key) => (
          <Link
            key={key}
            href={withParams(path, params, { range: key, from: undefined, to: undefined })}
            prefetch={prefetch}
            aria-current={window.range === key ? "page" : undefined}
            title={rangePresets[key].label}
            className="px-2.5 py-1 hover:bg-slate-100 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600 aria-[current=page]:bg-sky-700 aria-[current=page]:text-white dark:hover:bg-slate-800"
          >
            {short[key]}
          </Link>
        ))}
      </nav>
      <details className="relative">
        <summary className="cursor-pointer rounded-md border border-slate-300 px-2.5 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          {window.range === "custom" ? window.label : "Custom…"}
        </summary>
        <Form action={path} className="absolute right-0 z-20 mt-1 flex flex-col gap-2 rounded-md border border-slate-300 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900">
          {keep.map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <input type="hidden" name="range" value="custom" />
          <label className="flex flex-col text-xs">
            From (UTC)
            <input type="datetime-local" name="from" required defaultValue={toLocalInput(window.start)} className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800" />
          </label>
          <label className="flex flex-col text-xs">
            To (UTC)
            <input type="datetime-local" name="to" defaultValue={toLocalInput(window.end)} className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800" />
          </label>
          <button type="submit" className="rounded bg-sky-700 px-3 py-1 text-sm text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
            Show range
          </button>
        </Form>
      </details>
    </div>
  );
}
