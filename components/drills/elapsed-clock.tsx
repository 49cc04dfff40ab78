"use client";

import { useEffect, useState } from "react";
import { formatElapsed } from "@/lib/drills/format";

/** Time since the drill started, ticking while it runs; the final figure once it ended. */
export function ElapsedClock({ startedAt, finishedAt, renderedAt }: { startedAt: string; finishedAt: string | null; renderedAt: number }) {
  const [now, setNow] = useState(renderedAt);
  useEffect(() => {
    if (finishedAt) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [finishedAt]);
  const end = finishedAt ?? new Date(Math.max(now, renderedAt)).toISOString();
  return (
    <span className="font-mono tabular-nums" data-testid="elapsed" aria-label="Elapsed time">
      {formatElapsed(startedAt, end)}
    </span>
  );
}
