import type { AwsProblem } from "@/lib/data/model";

const titles: Record<AwsProblem["kind"], string> = {
  credentials: "AWS credentials missing or rejected",
  "access-denied": "Access denied by AWS",
  throttled: "AWS is throttling requests",
  unreachable: "AWS endpoint unreachable",
  "not-found": "Not found",
  "invalid-request": "Request refused",
  service: "AWS call failed",
};

/** What went wrong reading AWS, per region, with what to do about it (the message carries the how). */
export function ProblemPanel({ problems, title }: { problems: AwsProblem[]; title?: string }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" data-testid="aws-problems" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100">
      {title && <p className="mb-1 font-semibold">{title}</p>}
      <ul className="space-y-1">
        {problems.map((p) => (
          <li key={`${p.region}:${p.message}`}>
            <span className="font-medium">
              {p.region} — {titles[p.kind]}:
            </span>{" "}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
