import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl space-y-3 rounded-md border border-slate-300 bg-white p-6 dark:border-slate-700 dark:bg-slate-900">
      <h1 className="text-lg font-semibold">No such cluster</h1>
      <p className="text-sm">
        Nothing by that name exists in that region, or the region is not one CacheDeck is configured to show (CACHEDECK_REGIONS). It may
        have been deleted.
      </p>
      <Link href="/" className="text-sm text-sky-800 underline dark:text-sky-300">Back to the fleet</Link>
    </main>
  );
}
