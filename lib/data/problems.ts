import "server-only";
import { AwsError, type AwsProblem } from "@/lib/aws";

/** Our typed AWS errors keep their message; anything else is logged and shown as a generic failure. */
export function toProblem(error: unknown, region: string, what: string): AwsProblem {
  if (error instanceof AwsError) return error.toProblem();
  console.error(`cachedeck: unexpected error while reading ${what} in ${region}`, error);
  return { kind: "service", region, message: `Reading ${what} in ${region} failed unexpectedly; the server log has the details.` };
}
