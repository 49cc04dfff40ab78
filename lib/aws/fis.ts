import "server-only";
import { randomUUID } from "node:crypto";
import { DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import {
  CreateExperimentTemplateCommand,
  DeleteExperimentTemplateCommand,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  StartExperimentCommand,
  StopExperimentCommand,
  type Experiment,
} from "@aws-sdk/client-fis";
import { placeLabel, type Place } from "@/lib/place";
import { elastiCacheClient, fisClient } from "./clients";
import { AwsError, callAws } from "./errors";

// AZ power interruption drills through AWS Fault Injection Service: one experiment template per drill (the
// aws:elasticache:replicationgroup-interrupt-az-power action on the drill's replication group), or the organization's
// own template when one is configured for the region (CACHEDECK_FIS_TEMPLATE_IDS: its stop conditions, logging and
// reviewed scope stay theirs); one experiment started from it, followed with GetExperiment, stopped with
// StopExperiment on abort, and a template the drill created deleted afterwards.
// The same calls run against AWS and against the emulator; see docs/drills.md for the role FIS assumes.

export const AZ_POWER_ACTION = "aws:elasticache:replicationgroup-interrupt-az-power";

export type ExperimentStatus = "pending" | "initiating" | "running" | "completed" | "stopping" | "stopped" | "failed" | "cancelled";

/** An AZ power experiment as a drill follows it. */
export interface AzPowerExperiment {
  id: string;
  templateId: string;
  status: ExperimentStatus;
  /** FIS's reason for the status, e.g. why the experiment failed. */
  reason: string | null;
  /** When the action cut the power and when it came back (epoch ms), once FIS reports them. */
  powerOffAt: number | null;
  powerBackAt: number | null;
  requestId: string | null;
}

/** An experiment template as a drill judges it: what it would cut, where, for how long, and on which groups. */
export interface AzPowerTemplate {
  id: string;
  /** The template's actions by id (FIS action ids such as aws:elasticache:replicationgroup-interrupt-az-power). */
  actionIds: string[];
  /** The AZ power action's zone and duration, when the template has that action. */
  availabilityZone: string | null;
  durationSeconds: number | null;
  /** The AZ power action's target: replication groups by ARN, or by tags. */
  target: { resourceArns: string[]; resourceTags: Record<string, string>; selectionMode: string } | null;
  roleArn: string | null;
}

export interface AzPowerRequest {
  place: Place;
  replicationGroupId: string;
  availabilityZone: string;
  durationSeconds: number;
  /** The IAM role FIS assumes to interrupt the power (CACHEDECK_FIS_ROLE_ARN). */
  roleArn: string;
  /** Who asked, for the template's description and tags (e.g. "drill 12"). */
  label: string;
  /** A configured template to start instead of creating one (checked before the drill by its pre-flight). */
  templateId: string | null;
}

const fis = (place: Place, operation: string) => ({ service: "fis" as const, ...place, operation });

/** An ISO 8601 duration as FIS's duration parameter takes it: PT10M, PT1H30M, PT90S. */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s || seconds === 0 ? `${s}S` : ""}`;
}

/** Seconds of an ISO 8601 duration as FIS writes them (PT5M, PT1H30M, PT90S); null for anything else. */
export function secondsOfIsoDuration(duration: string | undefined): number | null {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration ?? "");
  if (!match || duration === "PT") return null;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** The configured template, or null when FIS has none by that id in the region. */
export async function getAzPowerTemplate(place: Place, id: string): Promise<AzPowerTemplate | null> {
  try {
    const output = await callAws(fis(place, "GetExperimentTemplate"), () => fisClient(place).send(new GetExperimentTemplateCommand({ id })));
    const template = output.experimentTemplate;
    const actions = Object.values(template?.actions ?? {});
    const azPower = actions.find((a) => a.actionId === AZ_POWER_ACTION);
    const targetKey = azPower?.targets ? Object.values(azPower.targets)[0] : undefined;
    const target = targetKey ? template?.targets?.[targetKey] : undefined;
    return {
      id,
      actionIds: actions.map((a) => a.actionId ?? ""),
      availabilityZone: azPower?.parameters?.availabilityZoneIdentifier ?? null,
      durationSeconds: secondsOfIsoDuration(azPower?.parameters?.duration),
      target: target ? { resourceArns: target.resourceArns ?? [], resourceTags: target.resourceTags ?? {}, selectionMode: target.selectionMode ?? "ALL" } : null,
      roleArn: template?.roleArn ?? null,
    };
  } catch (error) {
    if (error instanceof AwsError && error.awsCode === "ResourceNotFoundException") return null;
    throw error;
  }
}

function toExperiment(experiment: Experiment | undefined, requestId: string | undefined): AzPowerExperiment {
  const action = Object.values(experiment?.actions ?? {})[0];
  return {
    id: experiment?.id ?? "",
    templateId: experiment?.experimentTemplateId ?? "",
    status: (experiment?.state?.status ?? "pending") as ExperimentStatus,
    reason: experiment?.state?.reason ?? null,
    powerOffAt: action?.startTime?.getTime() ?? null,
    powerBackAt: action?.endTime?.getTime() ?? null,
    requestId: requestId ?? null,
  };
}

async function replicationGroupArn(place: Place, replicationGroupId: string): Promise<string> {
  const output = await callAws({ service: "elasticache", ...place, operation: "DescribeReplicationGroups" }, () =>
    elastiCacheClient(place).send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: replicationGroupId })),
  );
  const arn = output.ReplicationGroups?.[0]?.ARN;
  if (!arn) throw new Error(`ElastiCache did not give the ARN of ${replicationGroupId} in ${placeLabel(place)}, which the experiment needs as its target.`);
  return arn;
}

/**
 * Starts the drill's experiment: from the configured template, or from one created for this drill (then
 * `createdTemplate` says so, and the caller deletes it when the drill ends). The power goes off once FIS has resolved
 * the target.
 */
export async function startAzPowerExperiment(request: AzPowerRequest): Promise<AzPowerExperiment & { createdTemplate: boolean }> {
  const { place } = request;
  const tags = { "cachedeck:drill": request.label };
  const templateId = request.templateId ?? (await createAzPowerTemplate(request, tags));
  try {
    const started = await callAws(fis(place, "StartExperiment"), () =>
      fisClient(place).send(new StartExperimentCommand({ clientToken: randomUUID(), experimentTemplateId: templateId, tags })),
    );
    return { ...toExperiment(started.experiment, started.$metadata.requestId), createdTemplate: request.templateId === null };
  } catch (error) {
    if (request.templateId === null) await deleteExperimentTemplate(place, templateId).catch(() => undefined);
    throw error;
  }
}

async function createAzPowerTemplate(request: AzPowerRequest, tags: Record<string, string>): Promise<string> {
  const { place } = request;
  const arn = await replicationGroupArn(place, request.replicationGroupId);
  const template = await callAws(fis(place, "CreateExperimentTemplate"), () =>
    fisClient(place).send(
      new CreateExperimentTemplateCommand({
        clientToken: randomUUID(),
        description: `CacheDeck ${request.label}: power of ${request.availabilityZone} off for ${isoDuration(request.durationSeconds)} on ${request.replicationGroupId}`,
        roleArn: request.roleArn,
        stopConditions: [{ source: "none" }],
        targets: { ReplicationGroups: { resourceType: "aws:elasticache:replicationgroup", resourceArns: [arn], selectionMode: "ALL" } },
        actions: {
          "interrupt-az-power": {
            actionId: AZ_POWER_ACTION,
            parameters: { availabilityZoneIdentifier: request.availabilityZone, duration: isoDuration(request.durationSeconds) },
            targets: { ReplicationGroups: "ReplicationGroups" },
          },
        },
        tags,
      }),
    ),
  );
  return template.experimentTemplate?.id ?? "";
}

export async function getAzPowerExperiment(place: Place, id: string): Promise<AzPowerExperiment> {
  const output = await callAws(fis(place, "GetExperiment"), () => fisClient(place).send(new GetExperimentCommand({ id })));
  return toExperiment(output.experiment, output.$metadata.requestId);
}

/** StopExperiment: FIS answers while stopping; the power comes back and GetExperiment then says stopped. */
export async function stopAzPowerExperiment(place: Place, id: string): Promise<AzPowerExperiment> {
  const output = await callAws(fis(place, "StopExperiment"), () => fisClient(place).send(new StopExperimentCommand({ id })));
  return toExperiment(output.experiment, output.$metadata.requestId);
}

export async function deleteExperimentTemplate(place: Place, id: string): Promise<void> {
  await callAws(fis(place, "DeleteExperimentTemplate"), () => fisClient(place).send(new DeleteExperimentTemplateCommand({ id })));
}
