import type { AwsProblem } from "@/lib/data/model";
import { visibleTo } from "@/lib/data/problems";
import type { Role } from "@/lib/auth/permissions";
import { ProblemReports } from "./problem-reports";

/**
 * What went wrong reading AWS, per region: what failed and after how long for everyone, and why (the endpoint, the
 * settings, AWS's own words) only for a role that may read configuration. A server component, so the detail hidden
 * from a role never reaches its browser.
 */
export function ProblemPanel({ problems, role, title }: { problems: AwsProblem[]; role: Role | null; title?: string }) {
  return <ProblemReports problems={problems.map((problem) => visibleTo(role, problem))} title={title} />;
}
