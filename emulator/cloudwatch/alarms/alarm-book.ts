import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Dimension } from "../dimensions";
import { identity } from "../dimensions";
import type { MetricStore } from "../metric-store";
import { parseStat, statValue } from "../statistics";
import { COMPARISON_OPERATORS, evaluateAlarm, type ComparisonOperator, type Evaluation, type PeriodValue, type StateValue, type TreatMissingData } from "./evaluate";

export const ALARMS_FILE = "cloudwatch-alarms.json";
/** CloudWatch keeps alarm history for two weeks. */
const HISTORY_RETENTION_MS = 14 * 86400 * 1000;
/** A bound on memory and on the file, per region, whatever the retention. */
const MAX_HISTORY_ITEMS_PER_REGION = 10_000;

/** What PutMetricAlarm sets. */
export interface AlarmConfiguration {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: TreatMissingData;
  EvaluateLowSampleCountPercentile?: string;
}

export interface StoredAlarm extends AlarmConfiguration {
  AlarmArn: string;
  /** Epoch ms. */
  configuredAt: number;
  StateValue: StateValue;
  StateReason: string;
  StateReasonData?: string;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  Tags: { Key: string; Value: string }[];
}

export type HistoryItemType = "ConfigurationUpdate" | "StateUpdate" | "Action";

export interface HistoryItem {
  AlarmName: string;
  /** Epoch ms. */
  timestamp: number;
  HistoryItemType: HistoryItemType;
  HistorySummary: string;
  HistoryData: string;
}

interface RegionAlarms {
  alarms: Record<string, StoredAlarm>;
  history: HistoryItem[];
}

/** The file's shape, checked on load so that a damaged file stops the start with a message instead of failing later. */
const alarmsFileSchema = z.object({
  version: z.literal(1),
  regions: z.record(
    z.string(),
    z.object({
      alarms: z.record(
        z.string(),
        z.looseObject({
          AlarmName: z.string(),
          AlarmArn: z.string(),
          Namespace: z.string(),
          MetricName: z.string(),
          Dimensions: z.array(z.object({ Name: z.string(), Value: z.string() })),
          Period: z.number().int().positive(),
          EvaluationPeriods: z.number().int().positive(),
          Threshold: z.number(),
          ComparisonOperator: z.enum(COMPARISON_OPERATORS),
          StateValue: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]),
          OKActions: z.array(z.string()),
          AlarmActions: z.array(z.string()),
          InsufficientDataActions: z.array(z.string()),
        }),
      ),
      history: z.array(
        z.object({ AlarmName: z.string(), timestamp: z.number(), HistoryItemType: z.enum(["ConfigurationUpdate", "StateUpdate", "Action"]), HistorySummary: z.string(), HistoryData: z.string() }),
      ),
    }),
  ),
});

/**
 * One account's metric alarms, per region, with their history: kept in `<dataDir>/cloudwatch-alarms.json` (rewritten
 * atomically on every change, so alarms survive a restart) and evaluated against the metric store by evaluateAll().
 */
export class AlarmBook {
  private readonly regions: Record<string, RegionAlarms>;
  /**
   * The end of the window each alarm was last judged on (by ARN). An alarm is judged again once a new period has
   * ended, or after PutMetricAlarm or SetAlarmState: the state changes only then, so a tick costs nothing for an
   * alarm whose window has not moved, like AWS's once-a-minute evaluation.
   */
  private readonly judgedUntil = new Map<string, number>();

  constructor(
    private readonly options: { store: MetricStore; accountId: string; dataDir?: string; now?: () => number },
  ) {
    this.regions = this.load();
  }

  now(): number {
    return this.options.now?.() ?? this.options.store.nowSeconds() * 1000;
  }

  arn(region: string, name: string): string {
    return `arn:aws:cloudwatch:${region}:${this.options.accountId}:alarm:${name}`;
  }

  list(region: string): StoredAlarm[] {
    return Object.values(this.region(region).alarms).sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0));
  }

  get(region: string, name: string): StoredAlarm | undefined {
    return this.region(region).alarms[name];
  }

  history(region: string): readonly HistoryItem[] {
    return this.region(region).history;
  }

  /** Creates or replaces an alarm. A new alarm starts in INSUFFICIENT_DATA; an updated one keeps its state. */
  put(region: string, config: AlarmConfiguration, tags: { Key: string; Value: string }[]): void {
    const now = this.now();
    const existing = this.get(region, config.AlarmName);
    const alarm: StoredAlarm = existing
      ? { ...existing, ...clearOptional(config), configuredAt: now }
      : {
          ...config,
          AlarmArn: this.arn(region, config.AlarmName),
          configuredAt: now,
          StateValue: "INSUFFICIENT_DATA",
          StateReason: "Unchecked: Initial alarm creation",
          stateUpdatedAt: now,
          stateTransitionedAt: now,
          // AWS applies Tags only when it creates the alarm.
          Tags: tags,
        };
    this.region(region).alarms[config.AlarmName] = alarm;
    this.judgedUntil.delete(alarm.AlarmArn);
    this.record(region, {
      AlarmName: config.AlarmName,
      timestamp: now,
      HistoryItemType: "ConfigurationUpdate",
      HistorySummary: `Alarm "${config.AlarmName}" ${existing ? "updated" : "created"}`,
      HistoryData: JSON.stringify({
        version: "1.0",
        type: existing ? "Update" : "Create",
        ...(existing ? { originalAlarm: configurationOf(existing), updatedAlarm: configurationOf(alarm) } : { createdAlarm: configurationOf(alarm) }),
      }),
    });
    this.save();
  }

  /** Deletes the named alarms; their history stays, as on AWS. */
  delete(region: string, names: readonly string[]): void {
    const now = this.now();
    for (const name of names) {
      const alarm = this.get(region, name)!;
      delete this.region(region).alarms[name];
      this.judgedUntil.delete(alarm.AlarmArn);
      this.record(region, {
        AlarmName: name,
        timestamp: now,
        HistoryItemType: "ConfigurationUpdate",
        HistorySummary: `Alarm "${name}" deleted`,
        HistoryData: JSON.stringify({ version: "1.0", type: "Delete", deletedAlarm: configurationOf(alarm) }),
      });
    }
    this.save();
  }

  /** SetAlarmState: holds until the next evaluation computes the real state again. */
  setState(region: string, name: string, state: StateValue, reason: string, reasonData: string | undefined): void {
    const alarm = this.get(region, name)!;
    this.changeState(region, alarm, state, reason, reasonData);
    this.judgedUntil.delete(alarm.AlarmArn);
    this.save();
  }

  /** Evaluates the alarms whose window moved (see judgedUntil) against the metric store; returns how many changed state. */
  evaluateAll(): number {
    let changed = 0;
    for (const [region, { alarms }] of Object.entries(this.regions)) {
      for (const alarm of Object.values(alarms)) {
        const windowEnd = this.windowEnd(alarm);
        if (this.judgedUntil.get(alarm.AlarmArn) === windowEnd) continue;
        this.judgedUntil.set(alarm.AlarmArn, windowEnd);
        const periods = this.periodValues(region, alarm);
        const result = evaluateAlarm(ruleOf(alarm), periods, alarm.StateValue);
        if (result.state === alarm.StateValue) continue;
        this.changeState(region, alarm, result.state, result.reason, this.reasonData(alarm, result, periods));
        changed++;
      }
    }
    if (changed > 0) this.save();
    return changed;
  }

  /** The alarm's statistic over its last EvaluationPeriods whole periods (the current, partial one is not judged). */
  periodValues(region: string, alarm: StoredAlarm): PeriodValue[] {
    const store = this.options.store;
    const end = this.windowEnd(alarm);
    const start = end - alarm.EvaluationPeriods * alarm.Period;
    const series = store.find(region, identity(alarm.Namespace, alarm.MetricName, alarm.Dimensions));
    const periods: PeriodValue[] = [];
    for (let t = start; t < end; t += alarm.Period) periods.push({ timestamp: t, value: undefined });
    if (!series || (alarm.Unit !== undefined && (series.unit ?? "None") !== alarm.Unit)) return periods;
    const stat = parseStat(alarm.Statistic ?? alarm.ExtendedStatistic!)!;
    const { timestamps, aggregates } = store.aggregate(series, start, end, alarm.Period, stat.kind === "percentile");
    timestamps.forEach((t, i) => {
      const slot = periods[Math.round((t - start) / alarm.Period)];
      if (slot) Object.assign(slot, { value: statValue(aggregates[i], stat), sampleCount: aggregates[i].count });
    });
    return periods;
  }

  /** The end (epoch seconds) of the alarm's last whole period. */
  private windowEnd(alarm: StoredAlarm): number {
    return Math.floor(this.now() / 1000 / alarm.Period) * alarm.Period;
  }

  private reasonData(alarm: StoredAlarm, result: Evaluation, periods: readonly PeriodValue[]): string {
    const start = periods.length > 0 ? Math.min(...periods.map((p) => p.timestamp)) : Math.floor(this.now() / 1000);
    return JSON.stringify({
      version: "1.0",
      queryDate: awsDate(this.now()),
      startDate: awsDate(start * 1000),
      ...(alarm.Statistic ? { statistic: alarm.Statistic } : { extendedStatistic: alarm.ExtendedStatistic }),
      ...(alarm.Unit ? { unit: alarm.Unit } : {}),
      period: alarm.Period,
      recentDatapoints: result.evaluated.map((p) => p.value),
      threshold: alarm.Threshold,
      evaluatedDatapoints: result.evaluated.map((p) => ({ timestamp: awsDate(p.timestamp * 1000), sampleCount: p.sampleCount, value: p.value })),
    });
  }

  private changeState(region: string, alarm: StoredAlarm, state: StateValue, reason: string, reasonData: string | undefined): void {
    const now = this.now();
    const old = { stateValue: alarm.StateValue, stateReason: alarm.StateReason, ...(alarm.StateReasonData ? { stateReasonData: JSON.parse(alarm.StateReasonData) as unknown } : {}) };
    const transitioned = state !== alarm.StateValue;
    Object.assign(alarm, { StateValue: state, StateReason: reason, StateReasonData: reasonData, stateUpdatedAt: now });
    if (transitioned) alarm.stateTransitionedAt = now;
    this.record(region, {
      AlarmName: alarm.AlarmName,
      timestamp: now,
      HistoryItemType: "StateUpdate",
      HistorySummary: `Alarm updated from ${old.stateValue} to ${state}`,
      HistoryData: JSON.stringify({
        version: "1.0",
        oldState: old,
        newState: { stateValue: state, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) as unknown } : {}) },
      }),
    });
    if (!alarm.ActionsEnabled) return;
    const actions = { OK: alarm.OKActions, ALARM: alarm.AlarmActions, INSUFFICIENT_DATA: alarm.InsufficientDataActions }[state];
    for (const action of actions) {
      // SNS, Auto Scaling, EC2 and Systems Manager are not emulated: say so where AWS would say what it did.
      this.record(region, {
        AlarmName: alarm.AlarmName,
        timestamp: now,
        HistoryItemType: "Action",
        HistorySummary: `Failed to execute action ${action}: the CacheDeck emulator does not deliver alarm actions`,
        HistoryData: JSON.stringify({
          actionState: "Failed",
          stateUpdateTimestamp: now,
          notificationResource: action,
          error: "Alarm actions are not emulated (no SNS, Auto Scaling, EC2 or Systems Manager); nothing was sent.",
        }),
      });
    }
  }

  private record(region: string, item: HistoryItem): void {
    const history = this.region(region).history;
    history.push(item);
    const oldest = item.timestamp - HISTORY_RETENTION_MS;
    let drop = 0;
    while (drop < history.length && (history[drop].timestamp < oldest || history.length - drop > MAX_HISTORY_ITEMS_PER_REGION)) drop++;
    if (drop > 0) history.splice(0, drop);
  }

  private region(name: string): RegionAlarms {
    return (this.regions[name] ??= { alarms: {}, history: [] });
  }

  private file(): string | undefined {
    return this.options.dataDir === undefined ? undefined : path.join(this.options.dataDir, ALARMS_FILE);
  }

  private load(): Record<string, RegionAlarms> {
    const file = this.file();
    if (!file || !fs.existsSync(file)) return {};
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${(error as Error).message}); move it away to start without alarms`);
    }
    const parsed = alarmsFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file} is not an alarms file of version 1: ${issue.path.join(".") || "(root)"}: ${issue.message}; move it away to start without alarms`);
    }
    return parsed.data.regions as unknown as Record<string, RegionAlarms>;
  }

  private save(): void {
    const file = this.file();
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ version: 1, regions: this.regions }));
    fs.renameSync(temp, file);
  }
}

function ruleOf(alarm: StoredAlarm) {
  return {
    threshold: alarm.Threshold,
    comparison: alarm.ComparisonOperator,
    evaluationPeriods: alarm.EvaluationPeriods,
    datapointsToAlarm: alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods,
    treatMissingData: alarm.TreatMissingData ?? "missing",
  };
}

/** An update replaces the whole configuration: optional fields left out of the new call are gone. */
function clearOptional(config: AlarmConfiguration): AlarmConfiguration {
  const optional = ["AlarmDescription", "Statistic", "ExtendedStatistic", "Unit", "DatapointsToAlarm", "TreatMissingData", "EvaluateLowSampleCountPercentile"] as const;
  return { ...Object.fromEntries(optional.map((k) => [k, undefined])), ...config };
}

/** The configuration part of an alarm, camelCased as in AWS's ConfigurationUpdate HistoryData. */
function configurationOf(alarm: StoredAlarm): Record<string, unknown> {
  return {
    alarmName: alarm.AlarmName,
    alarmArn: alarm.AlarmArn,
    ...(alarm.AlarmDescription !== undefined ? { alarmDescription: alarm.AlarmDescription } : {}),
    actionsEnabled: alarm.ActionsEnabled,
    okactions: alarm.OKActions,
    alarmActions: alarm.AlarmActions,
    insufficientDataActions: alarm.InsufficientDataActions,
    namespace: alarm.Namespace,
    metricName: alarm.MetricName,
    dimensions: alarm.Dimensions.map((d) => ({ name: d.Name, value: d.Value })),
    ...(alarm.Statistic ? { statistic: alarm.Statistic } : { extendedStatistic: alarm.ExtendedStatistic }),
    period: alarm.Period,
    ...(alarm.Unit ? { unit: alarm.Unit } : {}),
    evaluationPeriods: alarm.EvaluationPeriods,
    ...(alarm.DatapointsToAlarm !== undefined ? { datapointsToAlarm: alarm.DatapointsToAlarm } : {}),
    threshold: alarm.Threshold,
    comparisonOperator: alarm.ComparisonOperator,
    treatMissingData: alarm.TreatMissingData ?? "missing",
  };
}

/** 2026-12-03T22:10:00.000+0000, the timestamp format of AWS's StateReasonData and HistoryData. */
export function awsDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "+0000");
}
