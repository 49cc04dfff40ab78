"use client";

import { useState } from "react";
import type { EventCategory, EventView } from "@/lib/data/model";
import { eventCategoryLabels as labels } from "@/lib/data/events";
import { formatTime } from "@/components/ui/format";

const dots: Record<EventCategory, string> = {
  failover: "bg-orange-600",
  scaling: "bg-sky-600",
  node: "bg-violet-600",
  lifecycle: "bg-emerald-600",
  other: "bg-slate-400",
};

export function EventsTimeline({ events }: { events: EventView[] }) {
  const [hidden, setHidden] = useState<Set<EventCategory>>(new Set());
  const [text, setText] = useState("");
  const present = (Object.keys(labels) as EventCategory[]).filter((c) => events.some((e) => e.category === c));
  const needle = text.trim().toLowerCase();
  const shown = events.filter((e) => !hidden.has(e.category) && (!needle || `${e.source} ${e.message}`.toLowerCase().includes(needle)));

  if (events.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No events for this cluster in the selected window.</p>;
  return (
    <div className="space-y-2">
      <fieldset className="flex flex-wrap items-center gap-3 text-sm">
        <legend className="sr-only">Filter events</legend>
        {present.map((c) => (
          <label key={c} className="inline-flex items-center gap-1">
            <input type="checkbox" checked={!hidden.has(c)} onChange={() => setHidden((h) => { const next = new Set(h); if (next.has(c)) next.delete(c); else next.add(c); return next; })} />
            <span className={`inline-block h-2 w-2 rounded-full ${dots[c]}`} aria-hidden="true" /> {labels[c]} ({events.filter((e) => e.category === c).length})
          </label>
        ))}
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Filter events…" aria-label="Filter events by text" className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-800" />
      </fieldset>
      <ol className="relative space-y-2 border-l border-slate-300 pl-4 dark:border-slate-700" aria-label="Events, newest first" data-testid="events">
        {shown.map((e, i) => (
          <li key={`${e.t}-${i}`} className="relative text-sm" data-category={e.category}>
            <span className={`absolute -left-[21px] top-1.5 h-2.5 w-2.5 rounded-full ${dots[e.category]}`} aria-hidden="true" />
            <time dateTime={new Date(e.t).toISOString()} className="mr-2 font-mono text-xs text-slate-600 dark:text-slate-400">{formatTime(e.t, true)}</time>
            <span className="mr-2 font-mono text-xs">{e.source}</span>
            <span>{e.message}</span>
          </li>
        ))}
        {shown.length === 0 && <li className="text-sm text-slate-600 dark:text-slate-400">No event matches these filters.</li>}
      </ol>
    </div>
  );
}
