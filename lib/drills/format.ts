// How drill figures read, the same on the page, in the Markdown export and in the verdict's sentences (durations:
// lib/duration.ts).

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
