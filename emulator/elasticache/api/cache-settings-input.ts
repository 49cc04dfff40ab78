import { z } from "zod";
import { qBool, qInt, qList } from "@/emulator/server/input";
import { defaultSettings, type CacheSettings, type LogDeliveryRecord } from "../state/cache-settings";
import type { RegionState } from "../state/model";
import { findSubnetGroup } from "../state/subnet-groups";
import { cacheSubnetGroupNotFound, invalidCombination, invalidValue } from "./errors";

// The settings parameters CreateReplicationGroup, CreateCacheCluster and the Modify calls share, validated on AWS's
// rules; the operations spread `settingsInput` into their schemas.

const logDeliveryInput = z.object({
  LogType: z.enum(["slow-log", "engine-log"]).optional(),
  DestinationType: z.enum(["cloudwatch-logs", "kinesis-firehose"]).optional(),
  DestinationDetails: z
    .object({
      CloudWatchLogsDetails: z.object({ LogGroup: z.string() }).optional(),
      KinesisFirehoseDetails: z.object({ DeliveryStream: z.string() }).optional(),
    })
    .optional(),
  LogFormat: z.enum(["text", "json"]).optional(),
  Enabled: qBool.optional(),
});
type LogDeliveryInput = z.output<typeof logDeliveryInput>;

export const settingsInput = {
  TransitEncryptionEnabled: qBool.optional(),
  TransitEncryptionMode: z.enum(["preferred", "required"]).optional(),
  AtRestEncryptionEnabled: qBool.optional(),
  AuthToken: z.string().optional(),
  SnapshotRetentionLimit: qInt.optional(),
  SnapshotWindow: z.string().optional(),
  CacheSubnetGroupName: z.string().transform((s) => s.toLowerCase()).optional(),
  SecurityGroupIds: qList(z.string()).optional(),
  LogDeliveryConfigurations: qList(logDeliveryInput).optional(),
  AutoMinorVersionUpgrade: qBool.optional(),
};
/** The settings ModifyReplicationGroup and ModifyCacheCluster change (TLS itself is not modifiable yet). */
export const modifiableSettingsInput = {
  SnapshotRetentionLimit: settingsInput.SnapshotRetentionLimit,
  SnapshotWindow: settingsInput.SnapshotWindow,
  AutoMinorVersionUpgrade: settingsInput.AutoMinorVersionUpgrade,
  SecurityGroupIds: settingsInput.SecurityGroupIds,
  LogDeliveryConfigurations: settingsInput.LogDeliveryConfigurations,
  AuthToken: settingsInput.AuthToken,
  AuthTokenUpdateStrategy: z.enum(["ROTATE", "SET", "DELETE"]).optional(),
};

export type SettingsInput = Partial<{ [K in keyof typeof settingsInput]: z.output<(typeof settingsInput)[K]> }>;

/** AWS keeps automatic backups for at most 35 days. */
export const MAX_SNAPSHOT_RETENTION_DAYS = 35;

/** AWS's AUTH token rules: 16–128 printable ASCII characters, none of / " @ (nor %, nor spaces). */
export function checkAuthToken(token: string): void {
  if (token.length < 16 || token.length > 128) throw invalidValue("Invalid AuthToken: it must have from 16 to 128 characters");
  if (!/^[\x21-\x7e]+$/.test(token)) throw invalidValue("Invalid AuthToken: only printable ASCII characters, without spaces, are allowed");
  const forbidden = ["/", '"', "@", "%"].find((c) => token.includes(c));
  if (forbidden) throw invalidValue(`Invalid AuthToken: it cannot contain the character ${forbidden}`);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** hh24:mi-hh24:mi in UTC, at least 60 minutes long (it may wrap past midnight). */
export function checkSnapshotWindow(window: string): void {
  const m = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.exec(window);
  if (!m) throw invalidValue(`Invalid SnapshotWindow ${window}: use the format hh24:mi-hh24:mi in UTC, e.g. 05:00-06:00`);
  const [start, end] = window.split("-").map(minutesOf);
  const length = (end - start + 24 * 60) % (24 * 60);
  if (length < 60) throw invalidValue(`Invalid SnapshotWindow ${window}: the window must be at least 60 minutes long`);
}

function checkRetention(days: number): void {
  if (days < 0 || days > MAX_SNAPSHOT_RETENTION_DAYS) {
    throw invalidValue(`Invalid SnapshotRetentionLimit ${days}: it must be from 0 to ${MAX_SNAPSHOT_RETENTION_DAYS} days`);
  }
}

export function checkSecurityGroupIds(ids: string[]): string[] {
  const bad = ids.find((id) => !/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id));
  if (bad) throw invalidValue(`Invalid security group ID ${bad}: security group IDs look like sg-0123456789abcdef0`);
  if (ids.length > 5) throw invalidValue(`A cache can have at most 5 VPC security groups; ${ids.length} were given`);
  return [...new Set(ids)];
}

/** One request entry → the record it sets; Enabled false (or absent details) is handled by the caller. */
function logDeliveryRecord(entry: LogDeliveryInput): LogDeliveryRecord {
  if (!entry.LogType) throw invalidValue("Each LogDeliveryConfiguration needs a LogType (slow-log or engine-log)");
  if (!entry.DestinationType) throw invalidValue(`The ${entry.LogType} LogDeliveryConfiguration needs a DestinationType`);
  const destination =
    entry.DestinationType === "cloudwatch-logs"
      ? entry.DestinationDetails?.CloudWatchLogsDetails?.LogGroup
      : entry.DestinationDetails?.KinesisFirehoseDetails?.DeliveryStream;
  if (!destination) {
    const needed = entry.DestinationType === "cloudwatch-logs" ? "CloudWatchLogsDetails.LogGroup" : "KinesisFirehoseDetails.DeliveryStream";
    throw invalidCombination(`The ${entry.LogType} LogDeliveryConfiguration with DestinationType ${entry.DestinationType} needs DestinationDetails.${needed}`);
  }
  return { logType: entry.LogType, destinationType: entry.DestinationType, destination, logFormat: entry.LogFormat ?? "text" };
}

/** The log deliveries after a request: entries replace those of their log type; Enabled false removes one. */
export function applyLogDelivery(current: LogDeliveryRecord[], entries: LogDeliveryInput[]): LogDeliveryRecord[] {
  const byType = new Map(current.map((c) => [c.logType, c]));
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.LogType && seen.has(entry.LogType)) throw invalidCombination(`LogDeliveryConfigurations names ${entry.LogType} twice`);
    if (entry.LogType) seen.add(entry.LogType);
    if (entry.Enabled === false) {
      if (!entry.LogType) throw invalidValue("Each LogDeliveryConfiguration needs a LogType (slow-log or engine-log)");
      byType.delete(entry.LogType);
    } else {
      const record = logDeliveryRecord(entry);
      byType.set(record.logType, record);
    }
  }
  return [...byType.values()].sort((a, b) => (a.logType < b.logType ? -1 : 1));
}

/** NetworkType and IpDiscovery: the emulator's nodes are ipv4, which is accepted when asked for; others are refused. */
export function refuseNonIpv4(raw: Record<string, unknown>): void {
  for (const name of ["NetworkType", "IpDiscovery"]) {
    if (raw[name] !== undefined && raw[name] !== "ipv4") throw invalidCombination(`${name} ${String(raw[name])} is not supported by the emulator; its nodes are ipv4 only`);
  }
}

/** Memcached has no backups, AUTH, log delivery or at-rest encryption on node-based clusters: AWS refuses them. */
function refuseForMemcached(input: SettingsInput): void {
  const names = ["AuthToken", "SnapshotRetentionLimit", "SnapshotWindow", "LogDeliveryConfigurations", "AtRestEncryptionEnabled", "TransitEncryptionMode"] as const;
  const given = names.find((n) => input[n] !== undefined && !(Array.isArray(input[n]) && input[n].length === 0));
  if (given) throw invalidCombination(`${given} is not valid for the memcached engine`);
  if (input.TransitEncryptionEnabled) {
    throw invalidCombination("TransitEncryptionEnabled for Memcached is not supported by the emulator (its memcached has no TLS); leave it out");
  }
}

/** The settings a new cache starts with, checked against AWS's rules and the region's subnet groups. */
export function settingsForCreate(state: RegionState, region: string, input: SettingsInput, engine: string): CacheSettings {
  if (engine === "memcached") refuseForMemcached(input);
  const settings = defaultSettings();
  const transit = input.TransitEncryptionEnabled ?? false;
  if (input.TransitEncryptionMode && !transit) {
    throw invalidCombination("TransitEncryptionMode can be set only when TransitEncryptionEnabled is true");
  }
  if (input.TransitEncryptionMode === "preferred") {
    throw invalidCombination("TransitEncryptionMode preferred is not supported by the emulator: a redis-server port takes TLS or plain text, not both; leave it out (required)");
  }
  settings.transitEncryptionEnabled = transit;
  if (transit) settings.transitEncryptionMode = input.TransitEncryptionMode ?? "required";
  if (input.AuthToken !== undefined) {
    if (!transit) throw invalidValue("The AUTH token is only supported when encryption-in-transit is enabled (TransitEncryptionEnabled true)");
    checkAuthToken(input.AuthToken);
    settings.authTokens = [input.AuthToken];
  }
  settings.atRestEncryptionEnabled = input.AtRestEncryptionEnabled ?? false;
  if (input.SnapshotRetentionLimit !== undefined) checkRetention(input.SnapshotRetentionLimit);
  if (input.SnapshotWindow !== undefined) checkSnapshotWindow(input.SnapshotWindow);
  settings.snapshotRetentionLimit = input.SnapshotRetentionLimit ?? settings.snapshotRetentionLimit;
  settings.snapshotWindow = input.SnapshotWindow ?? settings.snapshotWindow;
  if (input.CacheSubnetGroupName !== undefined) {
    if (!findSubnetGroup(state, region, input.CacheSubnetGroupName)) throw cacheSubnetGroupNotFound(input.CacheSubnetGroupName);
    settings.cacheSubnetGroupName = input.CacheSubnetGroupName;
  }
  settings.securityGroupIds = checkSecurityGroupIds(input.SecurityGroupIds ?? []);
  settings.logDeliveryConfigurations = applyLogDelivery([], input.LogDeliveryConfigurations ?? []);
  settings.autoMinorVersionUpgrade = input.AutoMinorVersionUpgrade ?? true;
  return settings;
}

/** A copy with the settings a Modify call may change applied (AuthToken and TransitEncryption are the caller's). */
export function settingsForModify(current: CacheSettings, input: SettingsInput): CacheSettings {
  const next = structuredClone(current);
  if (input.SnapshotRetentionLimit !== undefined) {
    checkRetention(input.SnapshotRetentionLimit);
    next.snapshotRetentionLimit = input.SnapshotRetentionLimit;
  }
  if (input.SnapshotWindow !== undefined) {
    checkSnapshotWindow(input.SnapshotWindow);
    next.snapshotWindow = input.SnapshotWindow;
  }
  if (input.SecurityGroupIds !== undefined) next.securityGroupIds = checkSecurityGroupIds(input.SecurityGroupIds);
  if (input.LogDeliveryConfigurations !== undefined) next.logDeliveryConfigurations = applyLogDelivery(current.logDeliveryConfigurations, input.LogDeliveryConfigurations);
  if (input.AutoMinorVersionUpgrade !== undefined) next.autoMinorVersionUpgrade = input.AutoMinorVersionUpgrade;
  return next;
}


/**
 * `next` with the AUTH token change of a Modify call applied, on AWS's rules: ROTATE (the default) adds the new token
 * and keeps the current one valid, SET (only after a ROTATE) leaves the new token alone, DELETE is only for a move to
 * RBAC user groups, which the emulator does not model.
 */
export function applyAuthTokenChange(next: CacheSettings, token: string | undefined, strategy: "ROTATE" | "SET" | "DELETE" | undefined, now: Date): void {
  if (token === undefined && strategy === undefined) return;
  if (!next.transitEncryptionEnabled) {
    throw invalidCombination("AuthToken can be modified only on caches with in-transit encryption (TransitEncryptionEnabled true)");
  }
  if (strategy === "DELETE") {
    throw invalidCombination("AuthTokenUpdateStrategy DELETE is allowed only when moving to RBAC (UserGroupIdsToAdd), which the emulator does not support");
  }
  if (token === undefined) throw invalidCombination(`AuthTokenUpdateStrategy ${strategy} must be specified with AuthToken`);
  checkAuthToken(token);
  if (strategy === "SET") {
    if (!next.authTokenRotating) throw invalidCombination("AuthTokenUpdateStrategy SET is allowed only after a ROTATE");
    next.authTokens = [token];
    next.authTokenRotating = undefined;
  } else {
    const previous = next.authTokens[0];
    next.authTokens = previous && previous !== token ? [token, previous] : [token];
    next.authTokenRotating = next.authTokens.length > 1 ? true : undefined;
  }
  next.authTokenLastModifiedDate = now.toISOString();
}
