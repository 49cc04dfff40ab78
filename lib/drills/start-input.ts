import { z } from "zod";
import { numberField } from "@/lib/actions/fields";
import { drillKinds } from "@/lib/drills/model";
import { formatSeconds } from "@/lib/duration";
import { CHAIN_ACCOUNT, parsePlaceSegment, placeLabel } from "@/lib/place";

// The drill form's fields and their rules, shared by the start action (which adds region, group and confirmation
// checks) and the pre-flight page (which reads the same fields from the URL).

// A time to recover of 0 s cannot be met; a write outage of 0 s can (not one failed write).
const timeToRecover = (max: number) => numberField({ message: `Enter a number of seconds above 0, at most ${max}.`, min: 0, max, whole: false, aboveMin: true });

export const objectivesField = z.object({
  newPrimarySeconds: timeToRecover(3_600),
  healthySeconds: timeToRecover(6 * 3_600),
  writeOutageSeconds: numberField({ message: "Enter a number of seconds, 0 to 3600.", min: 0, max: 3_600, whole: false }),
});

export const drillShape = {
  kind: z.enum(drillKinds, { error: "Choose a test failover or an AZ power interruption." }),
  shards: z.array(z.string().regex(/^\d{4}$/, "A shard id has four digits, such as 0001.")).max(500).default([]),
  availabilityZone: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/, "An Availability Zone such as us-east-1a.")
    .nullable()
    .default(null),
  durationSeconds: numberField({ message: "Enter whole seconds, 60 to 43200 (AWS FIS runs 1 minute to 12 hours).", min: 60, max: 43_200 }).nullable().default(null),
  probe: z.boolean().default(false),
};

type DrillFields = { kind: (typeof drillKinds)[number]; shards: string[]; availabilityZone: string | null; durationSeconds: number | null };

/** What each kind needs: shards to fail over, or a zone and a duration. */
export function kindIssues(value: DrillFields): { path: string[]; message: string }[] {
  if (value.kind === "test-failover") return value.shards.length === 0 ? [{ path: ["shards"], message: "Choose at least one shard." }] : [];
  const issues = [];
  if (!value.availabilityZone) issues.push({ path: ["availabilityZone"], message: "Choose the Availability Zone to cut." });
  if (value.durationSeconds === null) issues.push({ path: ["durationSeconds"], message: "Say how long the power stays off." });
  return issues;
}

export interface DrillChoice {
  /** Null for an old link naming a bare region: the page takes the default account. */
  account: string | null;
  region: string | null;
  replicationGroupId: string | null;
  kind: (typeof drillKinds)[number];
  shards: string[];
  availabilityZone: string | null;
  durationSeconds: number;
  probe: boolean;
  /** The person asked for the pre-flight checks. */
  check: boolean;
}

type Params = Record<string, string | string[] | undefined>;
const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const first = (value: string | string[] | undefined): string | undefined => all(value)[0];

/** The new-drill page's URL: each value kept only if valid, so a hand-edited URL cannot reach the pre-flight malformed. */
export function parseDrillChoice(params: Params): DrillChoice {
  // group=<place segment>/<id>: "staging~us-east-1/orders", or "us-east-1/orders" (lib/place.ts).
  const [segment, group] = (first(params.group) ?? "").split("/");
  const { account, region } = parsePlaceSegment(segment ?? "");
  const kind = drillShape.kind.safeParse(first(params.kind));
  const zone = drillShape.availabilityZone.safeParse(first(params.az) ?? null);
  const duration = drillShape.durationSeconds.safeParse(first(params.duration) ?? null);
  const validGroup = Boolean(
    region && group && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) && /^[a-z][a-z0-9-]{0,39}$/.test(group) && (account === null || /^[a-z][a-z0-9-]{0,31}$/.test(account)),
  );
  return {
    account: validGroup ? account : null,
    region: validGroup ? region : null,
    replicationGroupId: validGroup ? group : null,
    kind: kind.success ? kind.data : "test-failover",
    shards: [...new Set(all(params.shard).filter((s) => /^\d{4}$/.test(s)))],
    availabilityZone: zone.success ? zone.data : null,
    durationSeconds: duration.success && duration.data !== null ? duration.data : 60,
    probe: first(params.probe) === "1",
    check: first(params.check) === "1",
  };
}

/** What a drill will do, in the words the start form asks the person to confirm. */
export function drillEffect(choice: DrillChoice, shards: string[]): string {
  const group = `${choice.replicationGroupId} (${choice.region && placeLabel({ account: choice.account ?? CHAIN_ACCOUNT, region: choice.region })})`;
  if (choice.kind === "az-power-interruption") {
    return `Cuts the power of ${choice.availabilityZone} for ${formatSeconds(choice.durationSeconds)} for ${group}: its nodes there go down, primaries there fail over, and they come back after the interruption (shards ${shards.join(", ")}).`;
  }
  return `Fails over shard${shards.length === 1 ? "" : "s"} ${shards.join(", ")} of ${group}, one at a time: each shard's primary becomes a replica and a replica takes its writes. Clients of each shard lose writes for a few seconds; it uses ${shards.length} of the daily test failover quota.`;
}
