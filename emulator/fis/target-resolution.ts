import type { ElastiCacheControlPlane } from "@/emulator/elasticache/control-plane";
import { parseArn } from "@/emulator/elasticache/state/arns";
import { validation } from "./errors";
import { REPLICATION_GROUP_RESOURCE_TYPE, type TemplateTarget } from "./model";

// A target names replication groups by ARN or by tags, and a selection mode picks among them (ALL, COUNT(n),
// PERCENT(n), at random as FIS does). Resolution happens when an experiment starts, against the groups of that moment.

const SELECTION_MODE = /^(ALL|COUNT\((\d+)\)|PERCENT\((\d+)\))$/;

/** Refuses a target the emulator cannot resolve, or that FIS would refuse, when the template is created. */
export function checkTarget(name: string, target: TemplateTarget, region: string): void {
  if (target.resourceType !== REPLICATION_GROUP_RESOURCE_TYPE) {
    throw validation(`Target ${name}: resource type ${target.resourceType} is not supported by the emulator; it targets ${REPLICATION_GROUP_RESOURCE_TYPE}`);
  }
  const byArn = (target.resourceArns?.length ?? 0) > 0;
  const byTags = Object.keys(target.resourceTags ?? {}).length > 0;
  if (byArn === byTags) throw validation(`Target ${name}: specify either resourceArns or resourceTags`);
  const mode = SELECTION_MODE.exec(target.selectionMode);
  if (!mode) throw validation(`Target ${name}: selectionMode ${target.selectionMode} is not valid; use ALL, COUNT(n) or PERCENT(n)`);
  if (mode[3] !== undefined && (Number(mode[3]) < 1 || Number(mode[3]) > 100)) throw validation(`Target ${name}: PERCENT(n) takes n from 1 to 100`);
  if (mode[2] !== undefined && Number(mode[2]) < 1) throw validation(`Target ${name}: COUNT(n) takes n of at least 1`);
  for (const arn of target.resourceArns ?? []) {
    const parsed = parseArn(arn);
    if (!parsed || parsed.type !== "replicationgroup") throw validation(`Target ${name}: ${arn} is not the ARN of an ElastiCache replication group`);
    if (parsed.region !== region) throw validation(`Target ${name}: ${arn} is in ${parsed.region}; an experiment targets the resources of its own region (${region})`);
  }
}

/** The ids of the replication groups a target selects now (possibly none). */
export function resolveTarget(cp: ElastiCacheControlPlane, region: string, target: TemplateTarget): string[] {
  const state = cp.regionState(region);
  const candidates = target.resourceArns?.length
    ? target.resourceArns.map((arn) => parseArn(arn)!).filter((p) => p.account === cp.accountId && state.replicationGroups[p.id]).map((p) => p.id)
    : Object.keys(state.replicationGroups).filter((id) => {
        const tags = state.tags[cp.arn(region, "replicationgroup", id)] ?? [];
        return Object.entries(target.resourceTags ?? {}).every(([key, value]) => tags.some((t) => t.Key === key && t.Value === value));
      });
  const unique = [...new Set(candidates)].sort();
  const mode = SELECTION_MODE.exec(target.selectionMode)!;
  const count = mode[2] !== undefined ? Number(mode[2]) : mode[3] !== undefined ? Math.max(1, Math.round((unique.length * Number(mode[3])) / 100)) : unique.length;
  return shuffled(unique).slice(0, count).sort();
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
