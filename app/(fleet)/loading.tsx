import { Skeleton } from "@/components/ui/skeleton";

export default function FleetLoading() {
  return (
    <main className="space-y-4" aria-busy="true" aria-label="Loading the fleet">
      <Skeleton className="h-8 w-48" />
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-5">
        {Array.from({ length: 5 }, (_, i) => <Skeleton key={i} className="h-16" />)}
      </div>
      <Skeleton className="h-10 w-full" />
      {Array.from({ length: 6 }, (_, i) => <Skeleton key={i} className="h-12 w-full" />)}
    </main>
  );
}
