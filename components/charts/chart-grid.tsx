"use client";

import { useMemo } from "react";
import type { ChartModel, EventView } from "@/lib/data/model";
import { TimeSeriesChart, toMarkers } from "./time-series-chart";

export default function ChartGrid({ charts, events, start, end }: { charts: ChartModel[]; events: EventView[]; start: number; end: number }) {
  // Kept while the events are: a pushed role change re-renders the page, and new markers would redraw every chart.
  const markers = useMemo(() => toMarkers(events, start, end), [events, start, end]);
  return (
    <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
      {charts.map((chart) => (
        <TimeSeriesChart key={chart.id} chart={chart} start={start} end={end} markers={markers} />
      ))}
    </div>
  );
}
