import { standaloneUpgradeSteps } from "@/lib/posture/standalone-upgrade";

/** What to do instead of CacheDeck's engine upgrade for a standalone Redis OSS cluster (lib/posture/standalone-upgrade.ts). */
export function StandaloneUpgradeAdvice({ id }: { id: string }) {
  return (
    <div className="mt-2 text-sm" data-testid="standalone-upgrade">
      <p>
        {id} is a standalone cluster, not a replication group: CacheDeck&apos;s engine upgrade (a rolling replacement with a failover)
        needs a replication group. Instead:
      </p>
      <ol className="mt-1 list-decimal space-y-1 pl-5">
        {standaloneUpgradeSteps(id).map((step) => (
          <li key={step.cli}>
            {step.what}
            <code className="mt-1 block break-all rounded bg-slate-100 p-1 text-xs dark:bg-slate-800">{step.cli}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}
