"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";

/**
 * Re-renders the page's server components every few seconds without a reload: router.refresh() fetches fresh data
 * and React swaps it in place, keeping scroll position and client state. Paused while the tab is hidden.
 */
export function LiveRefresh({ seconds, renderedAt }: { seconds: number; renderedAt: number }) {
  const router = useRouter();
  const [on, setOn] = useState(true);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") startTransition(() => router.refresh());
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [on, seconds, router]);

  return (
    <div className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
      <span data-testid="rendered-at" data-rendered-at={renderedAt}>
        Updated {new Date(renderedAt).toISOString().slice(11, 19)} UTC{pending ? " · refreshing…" : ""}
      </span>
      <button
        type="button"
        onClick={() => setOn(!on)}
        aria-pressed={on}
        className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        {on ? `Live (${seconds}s) — pause` : "Paused — resume live"}
      </button>
    </div>
  );
}
