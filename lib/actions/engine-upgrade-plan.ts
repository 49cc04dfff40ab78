import type { EngineVersionOffer, ParameterGroupSummary } from "@/lib/aws/engine-upgrades";

// The checks AWS makes on an engine upgrade, made before the call so the form can say what is wrong next to the field,
// and the parameter group the upgrade will use: the one named, the new family's default when the group is on a
// default group, or a new group of the new family carrying the current group's changed values.

export interface UpgradeTarget {
  engine: string;
  version: string;
}

export interface UpgradeSituation {
  groupId: string;
  clusterMode: boolean;
  current: { engine: string; version: string; parameterGroup: string };
  /** What DescribeCacheEngineVersions offers (every engine). */
  offers: EngineVersionOffer[];
  parameterGroups: ParameterGroupSummary[];
}

export type ParameterGroupChoice =
  | { kind: "existing"; name: string }
  | { kind: "create"; name: string; from: string };

export interface UpgradePlan {
  target: EngineVersionOffer;
  parameterGroup: ParameterGroupChoice;
}

export type PlanOutcome = { ok: true; plan: UpgradePlan } | { ok: false; error: string; field: "engineVersion" | "parameterGroup" };

/** "6.2" < "7.0" < "7.1" < Valkey "7.2" < "8.0": Valkey 7.2 continues Redis OSS 7.1, so one scale serves both. */
export function compareVersions(a: string, b: string): number {
  const [aMajor, aMinor = 0] = a.split(".").map(Number);
  const [bMajor, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** The versions a group on `current` may move to: newer, same engine or Redis OSS → Valkey, as AWS allows. */
export function upgradeTargets(current: { engine: string; version: string }, offers: EngineVersionOffer[]): EngineVersionOffer[] {
  return offers
    .filter((o) => (o.engine === current.engine || (current.engine === "redis" && o.engine === "valkey")) && compareVersions(o.version, current.version) > 0)
    .sort((a, b) => compareVersions(b.version, a.version));
}

/** The name CacheDeck gives a group of the new family made from a custom one: "orders-tuned" → "orders-tuned-valkey8". */
export function carriedGroupName(current: string, family: string): string {
  const base = current.replace(/-(redis|valkey)[0-9a-z-]*$/, "");
  return `${base}-${family.replace(/[^a-z0-9]+/g, "-")}`.slice(0, 255);
}

export function planUpgrade(situation: UpgradeSituation, target: UpgradeTarget, requestedGroup: string | undefined): PlanOutcome {
  const { current, groupId } = situation;
  if (current.engine === "valkey" && target.engine === "redis") {
    return { ok: false, field: "engineVersion", error: `${groupId} runs Valkey; ElastiCache upgrades Redis OSS to Valkey, never back.` };
  }
  const offer = situation.offers.find((o) => o.engine === target.engine && o.version === target.version);
  const choices = upgradeTargets(current, situation.offers).map((o) => `${o.engine} ${o.version}`);
  if (!offer) {
    return { ok: false, field: "engineVersion", error: `AWS does not offer ${target.engine} ${target.version} here. Choose one of: ${choices.join(", ") || "none (already the newest)"}.` };
  }
  if (compareVersions(offer.version, current.version) <= 0) {
    return {
      ok: false,
      field: "engineVersion",
      error: `${groupId} runs ${current.engine} ${current.version}; ${offer.engine} ${offer.version} is not newer, and ElastiCache does not downgrade.`,
    };
  }
  const parameterGroup = chooseParameterGroup(situation, offer, requestedGroup);
  return "error" in parameterGroup ? { ok: false, field: "parameterGroup", error: parameterGroup.error } : { ok: true, plan: { target: offer, parameterGroup } };
}

function chooseParameterGroup(situation: UpgradeSituation, offer: EngineVersionOffer, requested: string | undefined): ParameterGroupChoice | { error: string } {
  const suffix = situation.clusterMode ? ".cluster.on" : "";
  if (requested) {
    const group = situation.parameterGroups.find((g) => g.name === requested);
    if (!group) return { error: `There is no parameter group ${requested} in this region.` };
    if (group.family !== offer.family) return { error: `${requested} is of family ${group.family}; ${offer.engine} ${offer.version} needs family ${offer.family}.` };
    if (requested.startsWith("default.") && requested.endsWith(".cluster.on") !== situation.clusterMode) {
      return { error: `${requested} is for cluster mode ${situation.clusterMode ? "disabled" : "enabled"}; ${situation.groupId} has it ${situation.clusterMode ? "enabled" : "disabled"}: use default.${offer.family}${suffix}.` };
    }
    return { kind: "existing", name: requested };
  }
  const currentGroup = situation.current.parameterGroup;
  if (currentGroup.startsWith("default.")) return { kind: "existing", name: `default.${offer.family}${suffix}` };
  if (situation.parameterGroups.find((g) => g.name === currentGroup)?.family === offer.family) return { kind: "existing", name: currentGroup };
  const name = carriedGroupName(currentGroup, offer.family);
  const taken = situation.parameterGroups.find((g) => g.name === name);
  if (taken?.family === offer.family) return { kind: "existing", name };
  if (taken) return { error: `A parameter group named ${name} exists with family ${taken.family}; choose a ${offer.family} group.` };
  return { kind: "create", name, from: currentGroup };
}
