"use client";

import dynamic from "next/dynamic";

/** recharts loads after first paint, in its own chunk: the header and topology show without waiting for it. */
export const LazyChartGrid = dynamic(() => import("./chart-grid"), {
  ssr: false,
  loading: () => (
    <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3" aria-busy="true" aria-label="Loading charts">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="h-60 animate-pulse rounded-md bg-slate-200 dark:bg-slate-800" />
      ))}
    </div>
  ),
});
