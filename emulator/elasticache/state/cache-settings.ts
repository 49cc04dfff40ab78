import { z } from "zod";
import type { NodeSecurity } from "@/emulator/nodes/node-access";

// Settings a cache is created with and AWS reports back in Describe*: encryption, AUTH, backups, network placement,
// log delivery and minor upgrades. Replication groups and cache clusters keep one record each (a group's members
// carry a copy, as AWS reports the group's settings on every member). Records written before these settings existed
// have none: settingsOf() reads them as AWS's defaults.

export const DEFAULT_SNAPSHOT_WINDOW = "06:30-07:30";
export const DEFAULT_SUBNET_GROUP = "default";

export const logDeliveryRecord = z.object({
  logType: z.enum(["slow-log", "engine-log"]),
  destinationType: z.enum(["cloudwatch-logs", "kinesis-firehose"]),
  /** The log group (cloudwatch-logs) or the delivery stream (kinesis-firehose). */
  destination: z.string(),
  logFormat: z.enum(["text", "json"]),
});
export type LogDeliveryRecord = z.infer<typeof logDeliveryRecord>;

export const cacheSettingsRecord = z.object({
  transitEncryptionEnabled: z.boolean(),
  /** preferred: TLS and plain text both accepted; required: TLS only. */
  transitEncryptionMode: z.enum(["preferred", "required"]).optional(),
  atRestEncryptionEnabled: z.boolean(),
  /** The AUTH tokens the nodes accept: the current one, and during a ROTATE the previous one too. */
  authTokens: z.array(z.string()),
  authTokenLastModifiedDate: z.string().datetime().optional(),
  /** ROTATING between a ROTATE and the SET that ends it (AWS's PendingModifiedValues.AuthTokenStatus). */
  authTokenRotating: z.boolean().optional(),
  snapshotRetentionLimit: z.number().int(),
  snapshotWindow: z.string(),
  cacheSubnetGroupName: z.string(),
  securityGroupIds: z.array(z.string()),
  logDeliveryConfigurations: z.array(logDeliveryRecord),
  autoMinorVersionUpgrade: z.boolean(),
});
export type CacheSettings = z.infer<typeof cacheSettingsRecord>;

export function defaultSettings(): CacheSettings {
  return {
    transitEncryptionEnabled: false,
    atRestEncryptionEnabled: false,
    authTokens: [],
    snapshotRetentionLimit: 0,
    snapshotWindow: DEFAULT_SNAPSHOT_WINDOW,
    cacheSubnetGroupName: DEFAULT_SUBNET_GROUP,
    securityGroupIds: [],
    logDeliveryConfigurations: [],
    autoMinorVersionUpgrade: true,
  };
}

export function settingsOf(record: { settings?: CacheSettings }): CacheSettings {
  return record.settings ?? defaultSettings();
}

/** What the nodes of a cache with these settings run with: TLS, and the AUTH tokens as passwords. */
export function nodeSecurity(settings: CacheSettings): NodeSecurity {
  return { tls: settings.transitEncryptionEnabled, passwords: settings.authTokens };
}
