import type { HealthLevel } from "@/lib/data/health";

const healthStyles: Record<HealthLevel, string> = {
  healthy: "bg-emerald-100 text-emerald-900 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  warning: "bg-amber-100 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  critical: "bg-red-100 text-red-900 ring-red-600/40 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/40",
  unknown: "bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/30",
};
const healthIcons: Record<HealthLevel, string> = { healthy: "●", warning: "▲", critical: "■", unknown: "○" };
const healthText: Record<HealthLevel, string> = { healthy: "Healthy", warning: "Warning", critical: "Critical", unknown: "No data" };

/** Shape and word as well as colour, so health reads without colour vision. */
export function HealthBadge({ level }: { level: HealthLevel }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${healthStyles[level]}`}>
      <span aria-hidden="true">{healthIcons[level]}</span>
      {healthText[level]}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const ok = status === "available";
  const failed = /fail|incompatible/i.test(status);
  const style = ok ? healthStyles.healthy : failed ? healthStyles.critical : "bg-sky-100 text-sky-900 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/30";
  return <span className={`inline-flex rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${style}`}>{status}</span>;
}

export function Pill({ children }: { children: React.ReactNode }) {
  return <span className="inline-flex rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">{children}</span>;
}
