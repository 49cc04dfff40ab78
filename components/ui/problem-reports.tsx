import type { AwsProblem } from "@/lib/data/model";

const titles: Record<AwsProblem["kind"], string> = {
  "assume-role": "CacheDeck could not assume its role in the account",
  credentials: "AWS credentials missing or rejected",
  "access-denied": "Access denied by AWS",
  throttled: "AWS is throttling requests",
  timeout: "AWS did not answer in time",
  unreachable: "AWS could not be reached",
  "not-found": "Not found",
  "invalid-request": "Request refused",
  service: "AWS call failed",
};

/**
 * Problem reports as they may be shown: the caller has already removed what the viewer's role may not read (the
 * server's ProblemPanel does it; pushed details arrive cleaned by the stream). Safe in client components.
 */
export function ProblemReports({ problems, title }: { problems: AwsProblem[]; title?: string }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" data-testid="aws-problems" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100">
      {title && <p className="mb-1 font-semibold">{title}</p>}
      <ul className="space-y-1">
        {problems.map((p) => (
          <li key={`${p.region}:${p.what}:${p.message}`} data-testid="aws-problem" data-region={p.region} data-kind={p.kind}>
            <span className="font-medium">
              {p.region} — {titles[p.kind]} ({p.what}):
            </span>{" "}
            {p.message}{" "}
            {p.adminDetail ? (
              <span data-testid="admin-detail">
                <span className="font-medium">Why (shown to admins):</span> {p.adminDetail}
              </span>
            ) : (
              <span>If it keeps happening, tell an admin: they see the cause on this page.</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
