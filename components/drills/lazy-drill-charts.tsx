"use client";

import dynamic from "next/dynamic";

/** recharts loads after first paint, in its own chunk: the timeline shows without waiting for it. */
export const LazyDrillCharts = dynamic(() => import("./drill-charts"), {
  ssr: false,
  loading: () => (
    <div className="grid gap-3 md:grid-cols-2" aria-busy="true" aria-label="Loading charts">
      {Array.from({ length: 2 }, (_, i) => (
        <div key={i} className="h-60 animate-pulse rounded-md bg-slate-200 dark:bg-slate-800" />
      ))}
    </div>
  ),
});
