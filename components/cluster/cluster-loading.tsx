import { Skeleton } from "@/components/ui/skeleton";

export function ClusterLoading() {
  return (
    <main className="space-y-6" aria-busy="true" aria-label="Loading the cluster">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-20 w-full" />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => <Skeleton key={i} className="h-48" />)}
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        {Array.from({ length: 4 }, (_, i) => <Skeleton key={i} className="h-60" />)}
      </div>
    </main>
  );
}
