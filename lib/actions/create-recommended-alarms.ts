"use server";

import { z } from "zod";
import { alarmTopicFor } from "@/lib/accounts";
import { describeElastiCacheAlarms, putRecommendedAlarm } from "@/lib/aws/alarms";
import { explainAwsRefusal } from "@/lib/aws/errors";
import { defineAction, type ActionResult } from "@/lib/actions/define-action";
import { accountField, cacheIdField, placeIsConfigured, placeIssue, placeOf, regionField } from "@/lib/actions/fields";
import { clusterPath } from "@/lib/actions/replication-group";
import { findCluster } from "@/lib/data/cluster";
import { findServerlessCache } from "@/lib/data/serverless";
import { alarmsConfig } from "@/lib/env";
import { placeLabel, placeSegment } from "@/lib/place";
import { alarmCoverage, indexAlarms, type RecommendedAlarm } from "@/lib/posture/recommended-alarms";
import { watcherFor } from "@/lib/watcher";

const createRecommendedAlarmsSchema = z
  .object({
    account: accountField,
    region: regionField,
    /** A replication group or standalone cache cluster ("cluster"), or a serverless cache. */
    kind: z.enum(["cluster", "serverless"], { error: "Say whether the cache is a cluster or a serverless cache." }),
    cacheId: cacheIdField,
  })
  .refine(placeIsConfigured, placeIssue);

export type CreateRecommendedAlarmsInput = z.input<typeof createRecommendedAlarmsSchema>;
type Input = z.output<typeof createRecommendedAlarmsSchema>;

export interface CreatedAlarms {
  created: string[];
  /** Recommended alarms that already existed (on the same metric and dimensions, whatever their name). */
  existing: number;
  /** The SNS topic the new alarms notify; null when none is configured. */
  topic: string | null;
}

function cachePath(input: Input): string {
  return input.kind === "serverless" ? `/serverless/${placeSegment(placeOf(input))}/${input.cacheId}` : clusterPath(placeOf(input), input.cacheId);
}

/** PutMetricAlarm calls in flight at once: a large group's dozens of alarms without a burst CloudWatch throttles. */
const concurrentPuts = 4;

const run = defineAction({
  name: "cluster.create-recommended-alarms",
  permission: "alarms.create",
  schema: createRecommendedAlarmsSchema,
  target: (input) => ({ account: input.account, region: input.region, target: input.cacheId }),
  load: async (input) => {
    const place = placeOf(input);
    const [cache, alarms] = await Promise.all([
      input.kind === "serverless" ? findServerlessCache(place, input.cacheId) : findCluster(place, input.cacheId),
      describeElastiCacheAlarms(place),
    ]);
    if (!cache) return null;
    const coverage = alarmCoverage(cache, indexAlarms(alarms));
    return { missing: coverage.filter((c) => c.existing.length === 0).map((c) => c.recommended), existing: coverage.filter((c) => c.existing.length > 0).length };
  },
  precheck: (input, found) => {
    if (!found) return { error: "No such cache.", fieldErrors: { cacheId: [`${placeLabel(placeOf(input))} has no ${input.kind === "serverless" ? "serverless cache" : "replication group or cache cluster"} ${input.cacheId}.`] } };
    return found.missing.length === 0 ? { error: `${input.cacheId} already has every recommended alarm; nothing to create.` } : null;
  },
  execute: async (input, found, signal) => {
    const { missing, existing } = found!;
    const place = placeOf(input);
    const topic = alarmTopicFor(place, alarmsConfig());
    let requestId: string | undefined;
    const queue: RecommendedAlarm[] = [...missing];
    const created: string[] = [];
    // An alarm created before a later one fails stays: running the action again creates only what is still missing.
    const worker = async () => {
      for (let alarm = queue.shift(); alarm; alarm = queue.shift()) {
        ({ requestId } = await putRecommendedAlarm(place, alarm, topic ? [topic] : [], signal));
        created.push(alarm.name);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrentPuts, missing.length) }, worker));
    return { requestId, data: { created: created.sort(), existing, topic } };
  },
  revalidate: (input) => {
    watcherFor(placeOf(input)).expectAlarms();
    return ["/", cachePath(input)];
  },
  explain: explainAwsRefusal,
});

/** Creates the cache's missing recommended CloudWatch alarms (lib/posture/recommended-alarms.ts). Operators and admins. */
export async function createRecommendedAlarms(input: CreateRecommendedAlarmsInput): Promise<ActionResult<CreatedAlarms>> {
  return run(input);
}
