import { z } from "zod";
import { cacheNodeTypeField } from "@/lib/actions/fields";
import type { OperationLink } from "@/lib/capacity/rightsizing";

// A rightsizing recommendation links to the operations page with the operation pre-filled
// (`?op=modify-node-type&nodeType=cache.r7g.large`, `?op=modify-replica-count&replicas=1`,
// `?op=modify-shard-count&shards=2`). The query is only a suggestion for a form's first value: anything malformed is
// dropped (the page opens as usual), and the action validates and authorizes whatever is finally submitted.

export type Prefill = OperationLink;

const count = (min: number, max: number) => z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(min).max(max));

const prefillSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("modify-node-type"), nodeType: cacheNodeTypeField }),
  z.object({ op: z.literal("modify-replica-count"), replicas: count(0, 5) }),
  z.object({ op: z.literal("modify-shard-count"), shards: count(1, 500) }),
]);

export function parsePrefill(query: Record<string, string | undefined>): Prefill | null {
  const parsed = prefillSchema.safeParse(query);
  return parsed.success ? parsed.data : null;
}

/** The operations page link that pre-fills `link`. */
export function prefillHref(operationsPath: string, link: OperationLink): string {
  const params = new URLSearchParams({ op: link.op });
  if (link.op === "modify-node-type") params.set("nodeType", link.nodeType);
  else if (link.op === "modify-replica-count") params.set("replicas", String(link.replicas));
  else params.set("shards", String(link.shards));
  return `${operationsPath}?${params}`;
}
