import type { ChartModel, ClusterDetail } from "./model";
import type { ChartRow } from "./series";

// A cluster page's charts as they travel to the browser: in the page's first HTML (React's payload) and in every
// detail its push stream sends. As rows of objects, the 30-shard × 3 group's eight charts of up to 91 lines were
// some 0.7 MB of JSON — each point's line key repeated and each value at full double precision — sent twice in the HTML
// (the rendered payload and its inline copy) and again at every refresh, and the browser revived every value one by
// one. Here each line is one base64 string of float32 values (7 significant digits, more than any axis or tooltip
// shows; NaN marks a missing point) and the times are a start, a step and a count: a third of the size, decoded in
// one pass. Other ChartModel consumers (drill pages, reports) keep the plain rows.

/** Evenly spaced row times ({ start, step, count }), or each row's time when they are not. */
type WireTimes = { start: number; step: number; count: number } | { list: number[] };

export type WireChart = Omit<ChartModel, "rows"> & {
  times: WireTimes;
  /** One string per line, in `lines` order. */
  values: string[];
};

export type WireDetail = Omit<ClusterDetail, "charts"> & { charts: WireChart[] };

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // In slices: String.fromCharCode takes its bytes as arguments, and a call has only so many.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function packValues(rows: ChartRow[], key: string): string {
  const view = new DataView(new ArrayBuffer(rows.length * 4));
  rows.forEach((row, i) => view.setFloat32(i * 4, row[key] ?? NaN, true));
  return toBase64(new Uint8Array(view.buffer));
}

function packTimes(rows: ChartRow[]): WireTimes {
  const step = rows.length > 1 ? rows[1].t - rows[0].t : 0;
  const even = rows.every((row, i) => row.t === rows[0].t + i * step);
  return rows.length > 0 && even ? { start: rows[0].t, step, count: rows.length } : { list: rows.map((r) => r.t) };
}

export function packChart({ rows, ...chart }: ChartModel): WireChart {
  return { ...chart, times: packTimes(rows), values: chart.lines.map((line) => packValues(rows, line.key)) };
}

export function unpackChart({ times, values, ...chart }: WireChart): ChartModel {
  const t = "list" in times ? times.list : Array.from({ length: times.count }, (_, i) => times.start + i * times.step);
  const rows: ChartRow[] = t.map((time) => ({ t: time }));
  chart.lines.forEach((line, l) => {
    const bytes = fromBase64(values[l]);
    const view = new DataView(bytes.buffer);
    rows.forEach((row, i) => {
      const v = view.getFloat32(i * 4, true);
      row[line.key] = Number.isNaN(v) ? null : v;
    });
  });
  return { ...chart, rows };
}

/** A shared detail's charts are packed once, however many streams send it (each with its own cut of the problems). */
const packed = new WeakMap<ChartModel[], WireChart[]>();

export function packDetail({ charts, ...detail }: ClusterDetail): WireDetail {
  let wire = packed.get(charts);
  if (!wire) packed.set(charts, (wire = charts.map(packChart)));
  return { ...detail, charts: wire };
}

export function unpackDetail({ charts, ...detail }: WireDetail): ClusterDetail {
  return { ...detail, charts: charts.map(unpackChart) };
}
