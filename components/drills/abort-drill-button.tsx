"use client";

import type { abortDrill } from "@/lib/actions/abort-drill";
import { useOperation } from "@/components/actions/use-operation";

/** Asks the runner to stop before the next shard; the shard under way still finishes recovering. */
export function AbortDrillButton({ action, account, region, replicationGroupId, drillId }: { action: typeof abortDrill; account: string; region: string; replicationGroupId: string; drillId: number }) {
  const { submit, state } = useOperation(action, `/drills/${drillId}`, () => "Abort requested: the drill stops before its next shard.");
  return (
    <div className="flex items-center gap-2 text-sm">
      <button
        type="button"
        disabled={state.pending || state.success !== null}
        onClick={() => submit({ account, region, replicationGroupId, drillId })}
        className="rounded-md border border-red-700 px-3 py-1 font-medium text-red-800 hover:bg-red-50 disabled:opacity-50 dark:text-red-300 dark:hover:bg-red-950"
      >
        {state.pending ? "Aborting…" : "Abort before next shard"}
      </button>
      {state.error && <span role="alert" className="text-red-800 dark:text-red-300">{state.error}</span>}
      {state.success && <span role="status">{state.success}</span>}
    </div>
  );
}
