import "server-only";
import { AwsError, type AwsProblem } from "@/lib/aws";
import { can, type Role } from "@/lib/auth/permissions";
import { placeLabel, type Place } from "@/lib/place";

/** Our typed AWS errors become a problem report; anything else is logged and reported as a generic failure. */
export function toProblem(error: unknown, place: Place, what: string): AwsProblem {
  if (error instanceof AwsError) return error.toProblem(what);
  const where = placeLabel(place);
  console.error(`cachedeck: unexpected error while reading ${what} in ${where}`, error);
  return {
    kind: "service",
    ...place,
    what,
    operation: "unknown",
    elapsedMs: 0,
    failedAt: new Date().toISOString(),
    message: `Reading ${what} in ${where} failed unexpectedly.`,
    adminDetail: `The server log has the error: look for "unexpected error while reading ${what} in ${where}".`,
  };
}

/** The report as `role` may read it: configuration (endpoints, variable names, AWS's own words) only for admins. */
export function visibleTo(role: Role | null, problem: AwsProblem): AwsProblem {
  return can(role, "config.read") ? problem : { ...problem, adminDetail: null };
}
