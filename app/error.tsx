"use client";

import Link from "next/link";

/** Unexpected failures only: AWS problems (credentials, permissions, endpoint) are explained on the page itself. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main role="alert" className="mx-auto max-w-xl space-y-3 rounded-md border border-red-300 bg-red-50 p-6 dark:border-red-800 dark:bg-red-950/60">
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="text-sm">
        Something unexpected went wrong on the server. Try again; if it keeps failing, check the server log
        {error.digest ? <> for error <code>{error.digest}</code></> : null} and that CacheDeck&apos;s configuration (CACHEDECK_REGIONS, AWS
        credentials, AWS_ENDPOINT_URL) is valid.
      </p>
      <div className="flex gap-3">
        <button type="button" onClick={reset} className="rounded bg-sky-700 px-3 py-1 text-sm text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
          Try again
        </button>
        <Link href="/" className="px-2 py-1 text-sm underline">Back to the fleet</Link>
      </div>
    </main>
  );
}
