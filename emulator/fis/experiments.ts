import { randomBytes } from "node:crypto";
import type { ElastiCacheControlPlane } from "@/emulator/elasticache/control-plane";
import { FaultError, type FaultInjector } from "@/emulator/faults/fault-injector";
import { durationSeconds } from "./az-power-action";
import { notFound, validation } from "./errors";
import { AZ_POWER_TARGET_KEY, type Experiment, type ExperimentTemplate } from "./model";
import { resolveTarget } from "./target-resolution";

// Experiment templates and experiments of every region, and the experiments' lifecycle: initiating → running (the
// zone's power really cut through the fault injector, the same cut as its /_emulator endpoint) → completed once the
// duration has passed (power back), or stopping → stopped on StopExperiment, or failed when there is nothing to do.
// Durations are AWS time: they pass at the control plane's time scale, like every other AWS phase the emulator paces.

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** A power cut lasts at least this long in real time, so its nodes' deaths are seen before the power is back. */
const MIN_REAL_CUT_SECONDS = 1;
const FINISHED_KEPT = 200;

function newId(prefix: string, length: number): string {
  return prefix + [...randomBytes(length)].map((b) => ID_CHARS[b % ID_CHARS.length]).join("");
}

interface RegionRecords {
  templates: Map<string, ExperimentTemplate>;
  experiments: Map<string, Experiment>;
  /** clientToken → id, so a retried create or start returns what the first one made. */
  tokens: Map<string, string>;
}

interface Running {
  faultId?: string;
  timer?: NodeJS.Timeout;
}

export class FisExperiments {
  private readonly regions = new Map<string, RegionRecords>();
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly cp: ElastiCacheControlPlane,
    private readonly injector: FaultInjector,
  ) {}

  private records(region: string): RegionRecords {
    let records = this.regions.get(region);
    if (!records) this.regions.set(region, (records = { templates: new Map(), experiments: new Map(), tokens: new Map() }));
    return records;
  }

  /** What an earlier request with the same client token made, if any. */
  byToken(region: string, clientToken: string): string | undefined {
    return this.records(region).tokens.get(clientToken);
  }

  addTemplate(region: string, clientToken: string, template: Omit<ExperimentTemplate, "id" | "arn">): ExperimentTemplate {
    const id = newId("EXT", 14);
    const stored = { id, arn: `arn:aws:fis:${region}:${this.cp.accountId}:experiment-template/${id}`, ...template };
    this.records(region).templates.set(id, stored);
    this.records(region).tokens.set(clientToken, id);
    return stored;
  }

  template(region: string, id: string): ExperimentTemplate {
    const template = this.records(region).templates.get(id);
    if (!template) throw notFound(`Experiment template not found: ${id}`);
    return template;
  }

  deleteTemplate(region: string, id: string): ExperimentTemplate {
    const template = this.template(region, id);
    this.records(region).templates.delete(id);
    return template;
  }

  experiment(region: string, id: string): Experiment {
    const experiment = this.records(region).experiments.get(id);
    if (!experiment) throw notFound(`Experiment not found: ${id}`);
    return experiment;
  }

  /** Newest first. */
  experiments(region: string): Experiment[] {
    return [...this.records(region).experiments.values()].reverse();
  }

  /** Starts an experiment of `template`: answered while initiating, then run in the background. */
  start(region: string, clientToken: string, template: ExperimentTemplate, options: { tags: Record<string, string>; actionsMode: "run-all" | "skip-all" }, now: Date): Experiment {
    const id = newId("EXP", 17);
    const experiment: Experiment = {
      id,
      arn: `arn:aws:fis:${region}:${this.cp.accountId}:experiment/${id}`,
      experimentTemplateId: template.id,
      roleArn: template.roleArn,
      state: { status: "initiating", reason: "Experiment is initiating." },
      targets: structuredClone(template.targets),
      actions: Object.fromEntries(
        Object.entries(template.actions).map(([name, action]) => [name, { ...structuredClone(action), state: { status: "pending" as const, reason: "Initial state" } }]),
      ),
      stopConditions: structuredClone(template.stopConditions),
      creationTime: now,
      tags: options.tags,
      experimentOptions: { ...template.experimentOptions, actionsMode: options.actionsMode },
    };
    const records = this.records(region);
    records.experiments.set(id, experiment);
    records.tokens.set(clientToken, id);
    this.forgetOldExperiments(records);
    this.running.set(id, {});
    setImmediate(() => void this.run(region, experiment).catch((error) => this.finish(experiment, "failed", `The experiment failed: ${(error as Error).message}`)));
    return experiment;
  }

  private async run(region: string, experiment: Experiment): Promise<void> {
    if (experiment.state.status !== "initiating") return;
    const [name, action] = Object.entries(experiment.actions)[0];
    const targetName = action.targets[AZ_POWER_TARGET_KEY];
    const groups = resolveTarget(this.cp, region, experiment.targets[targetName]);
    experiment.startTime = new Date();
    if (experiment.experimentOptions.actionsMode === "skip-all" || groups.length === 0) {
      if (groups.length === 0 && experiment.experimentOptions.emptyTargetResolutionMode === "fail") {
        return this.finish(experiment, "failed", `Target resolution returned empty set of resources for target ${targetName}.`);
      }
      action.state = { status: "skipped", reason: groups.length === 0 ? "No resources were resolved for the action's target." : "Actions are skipped (actionsMode skip-all)." };
      return this.finish(experiment, "completed", "Experiment completed.");
    }
    experiment.state = { status: "running", reason: "Experiment is running." };
    action.state = { status: "running", reason: "Action is running." };
    action.startTime = new Date();
    const seconds = durationSeconds(action.parameters.duration)!;
    const realSeconds = Math.max(MIN_REAL_CUT_SECONDS, seconds * this.cp.settings.timeScale);
    try {
      const fault = await this.injector.interruptAzPower({
        region,
        availabilityZone: action.parameters.availabilityZoneIdentifier,
        durationSeconds: realSeconds,
        replicationGroupIds: groups,
      });
      const running = this.running.get(experiment.id);
      // Stopped while the power was being cut: it comes straight back.
      if (!running) return void (await this.injector.end(fault.id));
      running.faultId = fault.id;
      running.timer = setTimeout(() => void this.endAction(experiment, name, "completed", "Action completed.").catch(() => undefined), realSeconds * 1000);
      this.cp.log(`fis: experiment ${experiment.id} cut the power of ${fault.availabilityZone} for ${action.parameters.duration} (${fault.affectedNodes.length} node(s) down)`);
    } catch (error) {
      const message = error instanceof FaultError ? error.message : `the power cut failed: ${(error as Error).message}`;
      action.state = { status: "failed", reason: message };
      this.finish(experiment, "failed", message);
    }
  }

  /** Power back, then the action and the experiment end as `status`. */
  private async endAction(experiment: Experiment, name: string, status: "completed" | "stopped", reason: string): Promise<void> {
    const running = this.running.get(experiment.id);
    if (!running) return;
    this.running.delete(experiment.id);
    clearTimeout(running.timer);
    if (running.faultId) await this.injector.end(running.faultId).catch(() => undefined);
    const action = experiment.actions[name];
    if (action.state.status === "running" || action.state.status === "stopping") {
      action.state = { status, reason };
      action.endTime = new Date();
    }
    this.finish(experiment, status, status === "completed" ? "Experiment completed." : "Experiment stopped.");
  }

  /** StopExperiment: answered while stopping; power comes back and the experiment is stopped. */
  stop(region: string, id: string): Experiment {
    const experiment = this.experiment(region, id);
    const { status } = experiment.state;
    if (status !== "initiating" && status !== "running") throw validation(`Experiment ${id} is ${status}; only an initiating or running experiment can be stopped.`);
    experiment.state = { status: "stopping", reason: "Experiment is stopping." };
    const [name, action] = Object.entries(experiment.actions)[0];
    if (action.state.status === "running") action.state = { status: "stopping", reason: "Action is stopping." };
    else action.state = { status: "cancelled", reason: "The experiment was stopped before the action started." };
    void this.endAction(experiment, name, "stopped", "Action stopped.");
    return experiment;
  }

  private finish(experiment: Experiment, status: "completed" | "stopped" | "failed", reason: string): void {
    this.running.delete(experiment.id);
    experiment.state = { status, reason };
    experiment.endTime = new Date();
  }

  private forgetOldExperiments(records: RegionRecords): void {
    const finished = [...records.experiments.values()].filter((e) => ["completed", "stopped", "failed"].includes(e.state.status));
    for (const old of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) records.experiments.delete(old.id);
  }

  /** At shutdown: timers cleared; the fault injector and the node processes are being stopped anyway. */
  stopAll(): void {
    for (const { timer } of this.running.values()) clearTimeout(timer);
    this.running.clear();
  }
}
