import { describe, expect, it } from "vitest";
import { carriedGroupName, planUpgrade, upgradeTargets, type UpgradeSituation } from "@/lib/actions/engine-upgrade-plan";

// The engine upgrade's pre-checks mirror AWS's refusals (versions offered, no downgrade, Valkey never back to Redis OSS,
// parameter group family and cluster mode), and the parameter group is chosen as AWS would accept it.

const offers = [
  { engine: "redis", version: "6.2", family: "redis6.x" },
  { engine: "redis", version: "7.1", family: "redis7" },
  { engine: "valkey", version: "7.2", family: "valkey7" },
  { engine: "valkey", version: "8.0", family: "valkey8" },
  { engine: "memcached", version: "1.6.22", family: "memcached1.6" },
];
const parameterGroups = [
  { name: "default.redis6.x", family: "redis6.x" },
  { name: "default.valkey8", family: "valkey8" },
  { name: "default.valkey8.cluster.on", family: "valkey8" },
  { name: "flags-tuned", family: "redis6.x" },
  { name: "other-valkey8", family: "valkey8" },
];
const situation = (current: Partial<UpgradeSituation["current"]> = {}, clusterMode = false): UpgradeSituation => ({
  groupId: "feature-flags",
  clusterMode,
  current: { engine: "redis", version: "6.2", parameterGroup: "default.redis6.x", ...current },
  offers,
  parameterGroups,
});
const valkey8 = { engine: "valkey", version: "8.0" };

describe("engine upgrade plan", () => {
  it("offers only newer versions, Redis OSS to Valkey but never back, newest first", () => {
    expect(upgradeTargets({ engine: "redis", version: "6.2" }, offers).map((o) => `${o.engine} ${o.version}`)).toEqual(["valkey 8.0", "valkey 7.2", "redis 7.1"]);
    expect(upgradeTargets({ engine: "valkey", version: "7.2" }, offers).map((o) => o.version)).toEqual(["8.0"]);
  });

  it("moves a group on a default parameter group to the new family's default, with cluster mode's own", () => {
    expect(planUpgrade(situation(), valkey8, undefined)).toMatchObject({ ok: true, plan: { target: { family: "valkey8" }, parameterGroup: { kind: "existing", name: "default.valkey8" } } });
    expect(planUpgrade(situation({}, true), valkey8, undefined)).toMatchObject({ ok: true, plan: { parameterGroup: { name: "default.valkey8.cluster.on" } } });
  });

  it("makes a group of the new family from a custom one, or uses it when it exists", () => {
    expect(carriedGroupName("flags-tuned", "valkey8")).toBe("flags-tuned-valkey8");
    expect(carriedGroupName("flags-tuned-redis6-x", "valkey8")).toBe("flags-tuned-valkey8");
    expect(planUpgrade(situation({ parameterGroup: "flags-tuned" }), valkey8, undefined)).toMatchObject({
      ok: true,
      plan: { parameterGroup: { kind: "create", name: "flags-tuned-valkey8", from: "flags-tuned" } },
    });
    const existing = { ...situation({ parameterGroup: "flags-tuned" }), parameterGroups: [...parameterGroups, { name: "flags-tuned-valkey8", family: "valkey8" }] };
    expect(planUpgrade(existing, valkey8, undefined)).toMatchObject({ ok: true, plan: { parameterGroup: { kind: "existing", name: "flags-tuned-valkey8" } } });
  });

  it("refuses what AWS refuses, naming the field", () => {
    expect(planUpgrade(situation({ engine: "valkey", version: "7.2" }), { engine: "redis", version: "7.1" }, undefined)).toMatchObject({ ok: false, field: "engineVersion", error: expect.stringMatching(/never back/) });
    expect(planUpgrade(situation({ version: "7.1" }), { engine: "redis", version: "6.2" }, undefined)).toMatchObject({ ok: false, field: "engineVersion", error: expect.stringMatching(/does not downgrade/) });
    expect(planUpgrade(situation(), { engine: "valkey", version: "9.9" }, undefined)).toMatchObject({ ok: false, field: "engineVersion", error: expect.stringMatching(/Choose one of: valkey 8.0, valkey 7.2, redis 7.1/) });
    expect(planUpgrade(situation(), valkey8, "flags-tuned")).toMatchObject({ ok: false, field: "parameterGroup", error: expect.stringMatching(/family redis6.x; valkey 8.0 needs family valkey8/) });
    expect(planUpgrade(situation(), valkey8, "default.valkey8.cluster.on")).toMatchObject({ ok: false, field: "parameterGroup" });
    expect(planUpgrade(situation(), valkey8, "nowhere")).toMatchObject({ ok: false, field: "parameterGroup" });
    expect(planUpgrade(situation(), valkey8, "other-valkey8")).toMatchObject({ ok: true, plan: { parameterGroup: { kind: "existing", name: "other-valkey8" } } });
  });
});
