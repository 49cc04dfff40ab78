import os from "node:os";

/** One line naming the machine a benchmark ran on, for docs/BENCHMARKS.md. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const memoryGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  // The machine may be shared: the 1-minute load average at the start says how busy it was.
  const load = os.loadavg()[0].toFixed(1);
  return `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${memoryGiB} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average ${load} at the start`;
}

/** Median and 95th percentile of timings in milliseconds, rounded for a table. */
export function summarize(timingsMs: number[]): { median: string; p95: string } {
  const sorted = [...timingsMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
  return { median: fmt(at(0.5)), p95: fmt(at(0.95)) };
}

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}
