import "server-only";
import { randomUUID } from "node:crypto";
import { DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import {
  CreateExperimentTemplateCommand,
  DeleteExperimentTemplateCommand,
  GetExperimentCommand,
  StartExperimentCommand,
  StopExperimentCommand,
  type Experiment,
} from "@aws-sdk/client-fis";
import { elastiCacheClient, fisClient } from "./clients";
import { callAws } from "./errors";

// AZ power interruption drills through AWS Fault Injection Service: one experiment template per drill (the
// aws:elasticache:replicationgroup-interrupt-az-power action on the drill's replication group), one experiment
// started from it, followed with GetExperiment, stopped with StopExperiment on abort, the template deleted afterwards.
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

export interface AzPowerRequest {
  region: string;
  replicationGroupId: string;
  availabilityZone: string;
  durationSeconds: number;
  /** The IAM role FIS assumes to interrupt the power (CACHEDECK_FIS_ROLE_ARN). */
  roleArn: string;
  /** Who asked, for the template's description and tags (e.g. "drill 12"). */
  label: string;
}

const fis = (region: string, operation: string) => ({ service: "fis" as const, region, operation });

/** An ISO 8601 duration as FIS's duration parameter takes it: PT10M, PT1H30M, PT90S. */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s || seconds === 0 ? `${s}S` : ""}`;
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

async function replicationGroupArn(region: string, replicationGroupId: string): Promise<string> {
  const output = await callAws({ service: "elasticache", region, operation: "DescribeReplicationGroups" }, () =>
    elastiCacheClient(region).send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: replicationGroupId })),
  );
  const arn = output.ReplicationGroups?.[0]?.ARN;
  if (!arn) throw new Error(`ElastiCache did not give the ARN of ${replicationGroupId} in ${region}, which the experiment needs as its target.`);
  return arn;
}

/** Creates the drill's experiment template and starts it; the power goes off once FIS has resolved the target. */
export async function startAzPowerExperiment(request: AzPowerRequest): Promise<AzPowerExperiment> {
  const { region } = request;
  const arn = await replicationGroupArn(region, request.replicationGroupId);
  const tags = { "cachedeck:drill": request.label };
  const template = await callAws(fis(region, "CreateExperimentTemplate"), () =>
    fisClient(region).send(
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
  const templateId = template.experimentTemplate?.id ?? "";
  try {
    const started = await callAws(fis(region, "StartExperiment"), () =>
      fisClient(region).send(new StartExperimentCommand({ clientToken: randomUUID(), experimentTemplateId: templateId, tags })),
    );
    return toExperiment(started.experiment, started.$metadata.requestId);
  } catch (error) {
    await deleteExperimentTemplate(region, templateId).catch(() => undefined);
    throw error;
  }
}

export async function getAzPowerExperiment(region: string, id: string): Promise<AzPowerExperiment> {
  const output = await callAws(fis(region, "GetExperiment"), () => fisClient(region).send(new GetExperimentCommand({ id })));
  return toExperiment(output.experiment, output.$metadata.requestId);
}

/** StopExperiment: FIS answers while stopping; the power comes back and GetExperiment then says stopped. */
export async function stopAzPowerExperiment(region: string, id: string): Promise<AzPowerExperiment> {
  const output = await callAws(fis(region, "StopExperiment"), () => fisClient(region).send(new StopExperimentCommand({ id })));
  return toExperiment(output.experiment, output.$metadata.requestId);
}

export async function deleteExperimentTemplate(region: string, id: string): Promise<void> {
  await callAws(fis(region, "DeleteExperimentTemplate"), () => fisClient(region).send(new DeleteExperimentTemplateCommand({ id })));
}
