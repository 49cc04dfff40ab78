import type { DrillChoice } from "@/lib/drills/start-input";
import type { ObservedShard } from "@/lib/drills/observe";
import { numberClass, selectClass } from "@/components/actions/styles";
import { placeLabel, placeSegment } from "@/lib/place";

export interface GroupOption {
  account: string;
  region: string;
  id: string;
  status: string;
}

interface Props {
  choice: DrillChoice;
  options: GroupOption[];
  /** The chosen group's shards, once one is chosen. */
  observed: { shards: ObservedShard[]; clusterMode: boolean } | null;
}

const button =
  "rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800";

/** What to drill, as a plain form whose choices live in the URL: nothing starts here, it only asks for the checks. */
export function DrillChoiceForm({ choice, options, observed }: Props) {
  const selected = choice.account && choice.region && choice.replicationGroupId ? `${placeSegment({ account: choice.account, region: choice.region })}/${choice.replicationGroupId}` : "";
  const zones = [...new Set(observed?.shards.flatMap((s) => s.members.map((m) => m.availabilityZone ?? "")).filter(Boolean))].sort();
  return (
    <form method="get" action="/drills/new" className="space-y-4 rounded-md border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900" data-testid="drill-choice">
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1">
          Replication group
          <select name="group" defaultValue={selected} className={selectClass.replace("w-56", "w-96 max-w-full")} required>
            <option value="" disabled>
              Choose a group
            </option>
            {options.map((o) => (
              <option key={`${placeSegment(o)}/${o.id}`} value={`${placeSegment(o)}/${o.id}`}>
                {o.id} ({placeLabel(o)}, {o.status})
              </option>
            ))}
          </select>
        </label>
        <fieldset className="flex flex-col gap-1">
          <legend>Drill</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="kind" value="test-failover" defaultChecked={choice.kind === "test-failover"} />
            Test failover of chosen shards
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="kind" value="az-power-interruption" defaultChecked={choice.kind === "az-power-interruption"} />
            AZ power interruption (AWS Fault Injection Service)
          </label>
        </fieldset>
        <button type="submit" className={button}>
          Choose
        </button>
      </div>
      {observed && (
        <>
          {choice.kind === "test-failover" ? (
            <fieldset className="space-y-1">
              <legend className="font-medium">Shards, failed over one at a time in this order</legend>
              {observed.shards.map((shard) => {
                const primary = shard.members.find((m) => m.role === "primary");
                return (
                  <label key={shard.id} className="flex items-center gap-2">
                    <input type="checkbox" name="shard" value={shard.id} defaultChecked={choice.shards.includes(shard.id)} />
                    <span className="font-mono">{shard.id}</span>
                    <span className="text-slate-600 dark:text-slate-400">
                      {shard.members.length} node{shard.members.length === 1 ? "" : "s"}
                      {primary ? `, primary ${primary.cacheClusterId} (${primary.availabilityZone ?? "?"})` : ""}
                    </span>
                  </label>
                );
              })}
            </fieldset>
          ) : (
            <div className="flex flex-wrap gap-4">
              <label className="flex flex-col gap-1">
                Availability Zone
                <select name="az" defaultValue={choice.availabilityZone ?? zones[0]} className={selectClass}>
                  {zones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zone}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex flex-col gap-1">
                Duration (seconds)
                <input type="number" name="duration" min={60} max={43200} defaultValue={choice.durationSeconds} className={numberClass} />
              </label>
            </div>
          )}
          <label className="flex items-center gap-2">
            <input type="checkbox" name="probe" value="1" defaultChecked={choice.probe} />
            Probe: write and read through the drill from the CacheDeck server (needs network access to the endpoints)
          </label>
          <button type="submit" name="check" value="1" className={button}>
            Run pre-flight checks
          </button>
        </>
      )}
    </form>
  );
}
