import { describeReplicationGroups, AwsError } from "@/lib/aws";
import { dashboardConfig } from "@/lib/env";

export const dynamic = "force-dynamic";

async function regionGroups(region: string) {
  try {
    return { region, groups: await describeReplicationGroups(region) };
  } catch (error) {
    if (error instanceof AwsError) return { region, error: error.message };
    throw error;
  }
}

export default async function HomePage() {
  const regions = await Promise.all(dashboardConfig().regions.map(regionGroups));
  return (
    <main className="p-8">
      <h1 className="text-2xl font-semibold">CacheDeck</h1>
      {regions.map((r) => (
        <section key={r.region} className="mt-6">
          <h2 className="text-lg font-medium">{r.region}</h2>
          {"error" in r ? (
            <p role="alert" className="text-red-700 dark:text-red-300">{r.error}</p>
          ) : r.groups.length === 0 ? (
            <p>No replication groups.</p>
          ) : (
            <ul className="list-disc pl-6" aria-label={`Replication groups in ${r.region}`}>
              {r.groups.map((g) => (
                <li key={g.ReplicationGroupId}>
                  {g.ReplicationGroupId} — {g.Status}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </main>
  );
}
