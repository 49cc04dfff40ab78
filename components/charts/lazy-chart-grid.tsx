"use client";

import dynamic from "next/dynamic";
import { ChartGridSkeleton } from "./chart-grid-skeleton";

/** recharts loads after first paint, in its own chunk: the header and topology show without waiting for it. */
export const LazyChartGrid = dynamic(() => import("./chart-grid"), {
  ssr: false,
  loading: () => <ChartGridSkeleton count={6} className="md:grid-cols-2 2xl:grid-cols-3" />,
});
