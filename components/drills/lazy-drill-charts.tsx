"use client";

import dynamic from "next/dynamic";
import { ChartGridSkeleton } from "@/components/charts/chart-grid-skeleton";

/** recharts loads after first paint, in its own chunk: the timeline shows without waiting for it. */
export const LazyDrillCharts = dynamic(() => import("./drill-charts"), {
  ssr: false,
  loading: () => <ChartGridSkeleton count={2} className="md:grid-cols-2" />,
});
