"use client";

import type { ChartModel } from "@/lib/data/model";
import type { DrillMarker } from "@/lib/drills/charts";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";

/** Replication lag and connections over the drill, with the API calls, primary changes and recoveries marked. */
export default function DrillCharts({ charts, markers, start, end }: { charts: ChartModel[]; markers: DrillMarker[]; start: number; end: number }) {
  return (
    <div className="grid gap-3 md:grid-cols-2">
      {charts.map((chart) => (
        <TimeSeriesChart key={chart.id} chart={chart} start={start} end={end} markers={markers} />
      ))}
    </div>
  );
}
