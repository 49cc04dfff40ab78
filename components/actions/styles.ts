export const selectClass =
  "w-56 rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500";

export const numberClass =
  "w-24 rounded-md border border-slate-300 bg-white px-2 py-1 tabular-nums dark:border-slate-700 dark:bg-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500";
