import { availabilityZones, isAvailabilityZoneOf } from "@/emulator/elasticache/state/zones";
import { validation } from "./errors";
import { AZ_POWER_ACTION, AZ_POWER_TARGET_KEY, type TemplateAction, type TemplateTarget } from "./model";

// aws:elasticache:replicationgroup-interrupt-az-power, the one action the emulator runs: its parameters are the
// Availability Zone (availabilityZoneIdentifier) and how long its power stays off (duration, ISO 8601, 1 minute to
// 12 hours), its one target the replication groups (key ReplicationGroups).

const MIN_DURATION_SECONDS = 60;
const MAX_DURATION_SECONDS = 12 * 3600;

/** Seconds of an ISO 8601 duration of hours, minutes and seconds ("PT10M", "PT1H30M", "PT90S"); undefined if not one. */
export function durationSeconds(iso: string): number | undefined {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso);
  if (!m || iso === "PT") return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Refuses an action the emulator cannot run, or whose parameters or target do not fit, as FIS refuses them. */
export function checkAction(name: string, action: TemplateAction, targets: Record<string, TemplateTarget>, region: string): void {
  if (action.actionId !== AZ_POWER_ACTION) {
    throw validation(`Action ${name}: actionId ${action.actionId} is not supported by the emulator; it runs ${AZ_POWER_ACTION}`);
  }
  const unknownParameter = Object.keys(action.parameters).find((p) => p !== "availabilityZoneIdentifier" && p !== "duration");
  if (unknownParameter) throw validation(`Action ${name}: unknown parameter ${unknownParameter}; ${AZ_POWER_ACTION} takes availabilityZoneIdentifier and duration`);
  const zone = action.parameters.availabilityZoneIdentifier;
  if (!zone) throw validation(`Action ${name}: the parameter availabilityZoneIdentifier is required`);
  if (!isAvailabilityZoneOf(region, zone)) {
    throw validation(`Action ${name}: ${zone} is not an Availability Zone of ${region}; its zones are ${availabilityZones(region).join(", ")}`);
  }
  const duration = action.parameters.duration;
  if (!duration) throw validation(`Action ${name}: the parameter duration is required`);
  const seconds = durationSeconds(duration);
  if (seconds === undefined || seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
    throw validation(`Action ${name}: duration ${duration} must be an ISO 8601 duration from PT1M to PT12H, e.g. PT10M`);
  }
  const keys = Object.keys(action.targets);
  if (keys.length !== 1 || keys[0] !== AZ_POWER_TARGET_KEY) {
    throw validation(`Action ${name}: ${AZ_POWER_ACTION} takes one target, ${AZ_POWER_TARGET_KEY}`);
  }
  const target = action.targets[AZ_POWER_TARGET_KEY];
  if (!targets[target]) throw validation(`Action ${name}: target ${target} is not defined in the template's targets`);
}
