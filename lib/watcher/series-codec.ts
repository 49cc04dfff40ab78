// Metric points as a watcher record or snapshot carries them to other app instances: times as runs of one step
// (`[start, count, start, count, …]`) and values as base64 of their float64s. Exact, and a fraction of plain JSON
// arrays: three hours of 18,400 metrics took 118 MB and 10 s of the leader's event loop that way (docs/BENCHMARKS.md).

export type EncodedPoints = [runs: number[], values: string];

/** `times` ascending; a gap or any other spacing than `stepMs` starts a new run. */
export function encodePoints(times: readonly number[], values: readonly number[], stepMs: number): EncodedPoints {
  const runs: number[] = [];
  for (const t of times) {
    const last = runs.length - 2;
    if (last >= 0 && runs[last] + runs[last + 1] * stepMs === t) runs[last + 1] += 1;
    else runs.push(t, 1);
  }
  return [runs, Buffer.from(Float64Array.from(values).buffer).toString("base64")];
}

/** The values of encoded points, in the runs' order. */
export function decodeValues(encoded: string): Float64Array {
  const bytes = Buffer.from(encoded, "base64");
  // Copied into a buffer of its own: a decoded buffer may sit at an offset a Float64Array cannot start at.
  const floats = new Float64Array(bytes.length / 8);
  new Uint8Array(floats.buffer).set(bytes);
  return floats;
}

export function decodePoints([runs, encoded]: EncodedPoints, stepMs: number): { timestamps: number[]; values: number[] } {
  const timestamps: number[] = [];
  for (let r = 0; r < runs.length; r += 2) for (let k = 0; k < runs[r + 1]; k++) timestamps.push(runs[r] + k * stepMs);
  return { timestamps, values: Array.from(decodeValues(encoded)) };
}
