// The emulator's FIS records, kept in memory per region (an emulator restart forgets them, as it ends their faults).

export const AZ_POWER_ACTION = "aws:elasticache:replicationgroup-interrupt-az-power";
export const REPLICATION_GROUP_RESOURCE_TYPE = "aws:elasticache:replicationgroup";
/** The action's one target key: the replication groups whose nodes in the zone lose power. */
export const AZ_POWER_TARGET_KEY = "ReplicationGroups";

export interface TemplateTarget {
  resourceType: string;
  resourceArns?: string[];
  resourceTags?: Record<string, string>;
  selectionMode: string;
}

export interface TemplateAction {
  actionId: string;
  description?: string;
  parameters: Record<string, string>;
  targets: Record<string, string>;
}

export interface StopCondition {
  source: string;
  value?: string;
}

export interface ExperimentTemplate {
  id: string;
  arn: string;
  description: string;
  targets: Record<string, TemplateTarget>;
  actions: Record<string, TemplateAction>;
  stopConditions: StopCondition[];
  creationTime: Date;
  lastUpdateTime: Date;
  roleArn: string;
  tags: Record<string, string>;
  experimentOptions: { accountTargeting: "single-account"; emptyTargetResolutionMode: "fail" | "skip" };
}

export type ExperimentStatus = "initiating" | "running" | "completed" | "stopping" | "stopped" | "failed";
export type ActionStatus = "pending" | "running" | "completed" | "stopping" | "stopped" | "failed" | "skipped" | "cancelled";

export interface ExperimentAction extends TemplateAction {
  state: { status: ActionStatus; reason: string };
  startTime?: Date;
  endTime?: Date;
}

export interface Experiment {
  id: string;
  arn: string;
  experimentTemplateId: string;
  roleArn: string;
  state: { status: ExperimentStatus; reason: string };
  targets: Record<string, TemplateTarget>;
  actions: Record<string, ExperimentAction>;
  stopConditions: StopCondition[];
  creationTime: Date;
  startTime?: Date;
  endTime?: Date;
  tags: Record<string, string>;
  experimentOptions: ExperimentTemplate["experimentOptions"] & { actionsMode: "run-all" | "skip-all" };
}
