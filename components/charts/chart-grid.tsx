"use client";

import { memo, useMemo } from "react";
import type { AlarmMarkerView } from "@/lib/data/alarms";
import type { ChartModel, EventView } from "@/lib/data/model";
import { TimeSeriesChart, toMarkers, type ChartMarker } from "./time-series-chart";

interface Props {
  charts: ChartModel[];
  events: EventView[];
  /** Alarm state changes, each drawn on the chart of its metric. */
  alarmMarkers?: AlarmMarkerView[];
  start: number;
  end: number;
}

/** Memoised: a pushed role change re-renders the page with the same charts and events, which need no redraw. */
export default memo(function ChartGrid({ charts, events, alarmMarkers, start, end }: Props) {
  // Kept while the events are: a pushed role change re-renders the page, and new markers would redraw every chart.
  const markers = useMemo(() => toMarkers(events, start, end), [events, start, end]);
  const byChart = useMemo(() => {
    const charts = new Map<string, ChartMarker[]>();
    for (const m of alarmMarkers ?? []) {
      if (m.t < start || m.t > end) continue;
      charts.set(m.chart, [...(charts.get(m.chart) ?? markers), { t: m.t, label: m.label, failover: false, alarm: m.to }]);
    }
    return charts;
  }, [alarmMarkers, markers, start, end]);
  return (
    <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
      {charts.map((chart) => (
        <TimeSeriesChart key={chart.id} chart={chart} start={start} end={end} markers={byChart.get(chart.id) ?? markers} />
      ))}
    </div>
  );
});
