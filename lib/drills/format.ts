// How drill figures read, the same on the page, in the Markdown export and in the verdict's sentences.

/** 850 ms · 12.4 s · 3 min 05 s · 1 h 02 min */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const abs = Math.max(0, ms);
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) return `${(abs / 1_000).toFixed(1)} s`;
  const totalSeconds = Math.round(abs / 1_000);
  if (totalSeconds < 3_600) return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, "0")} s`;
  const minutes = Math.round(totalSeconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** An objective stated in seconds, as the configuration and the form state it. */
export function formatSeconds(seconds: number): string {
  return formatDuration(seconds * 1_000);
}

/** 2026-03-01 12:00:05 UTC */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Elapsed time since the drill's start, as the timeline prints it: +0:12.3 */
export function formatElapsed(fromIso: string, atIso: string): string {
  const ms = Math.max(0, Date.parse(atIso) - Date.parse(fromIso));
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  return `+${minutes}:${seconds.toFixed(1).padStart(4, "0")}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
