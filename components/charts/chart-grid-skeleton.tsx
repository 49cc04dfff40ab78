import { Skeleton } from "@/components/ui/skeleton";

/** Placeholder chart cards while recharts' chunk loads; `className` sets the grid's columns. */
export function ChartGridSkeleton({ count, className }: { count: number; className: string }) {
  return (
    <div className={`grid gap-3 ${className}`} aria-busy="true" aria-label="Loading charts">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} className="h-60" />
      ))}
    </div>
  );
}
