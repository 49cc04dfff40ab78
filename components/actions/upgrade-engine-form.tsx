"use client";

import { useState } from "react";
import type { upgradeEngine } from "@/lib/actions/upgrade-engine";
import { ConfirmPanel, FieldError } from "@/components/actions/confirm-panel";
import { useOperation } from "@/components/actions/use-operation";
import { followUrl } from "@/components/actions/follow-url";
import { selectClass } from "@/components/actions/styles";
import type { UpgradeOptions } from "@/lib/data/operations";
import { placeLabel, type Place } from "@/lib/place";

interface Props {
  action: typeof upgradeEngine;
  place: Place;
  replicationGroupId: string;
  clusterMode: boolean;
  options: UpgradeOptions;
  /** The engine a link asked for (?engine=valkey): its newest version is chosen first. */
  preselect?: string;
}

const ENGINE_NAMES: Record<string, string> = { redis: "Redis OSS", valkey: "Valkey" };
const engineName = (engine: string) => ENGINE_NAMES[engine] ?? engine;
const AUTOMATIC = "";


/** What CacheDeck does about the parameter group when the person leaves the choice to it (lib/actions/engine-upgrade-plan.ts). */
function automaticGroup(current: string, family: string, clusterMode: boolean): string {
  if (current.startsWith("default.")) return `the default group default.${family}${clusterMode ? ".cluster.on" : ""}`;
  return `a new ${family} group with ${current}'s changed values (or that group if it already exists)`;
}

export function UpgradeEngineForm({ action, place, replicationGroupId, clusterMode, options, preselect }: Props) {
  const { current, targets } = options;
  const first = targets.find((t) => t.engine === preselect) ?? targets[0];
  const [targetKey, setTargetKey] = useState(first ? `${first.engine} ${first.version}` : "");
  const target = targets.find((t) => `${t.engine} ${t.version}` === targetKey);
  const [parameterGroup, setParameterGroup] = useState(AUTOMATIC);
  const groups = options.parameterGroups.filter((g) => g.family === target?.family);
  const { submit, state } = useOperation(
    action,
    (_data, auditId) => followUrl(place, replicationGroupId, auditId),
    (data, auditId) =>
      `Engine upgrade from ${data.from} to ${data.to} started with parameter group ${data.parameterGroup}${data.createdFrom ? ` (made from ${data.createdFrom})` : ""}. Audit record #${auditId}.`,
  );
  if (!target) return <p className="text-sm">{`${replicationGroupId} runs ${engineName(current.engine)} ${current.version}, the newest version AWS offers here.`}</p>;
  const leavesRedis6OrOlder = current.engine === "redis" && Number(current.version.split(".")[0]) < 7;

  return (
    <ConfirmPanel
      title="Upgrade engine"
      testId="operation-upgrade-engine"
      verb="Upgrade engine"
      confirmText={replicationGroupId}
      state={state}
      onConfirm={(confirmation) =>
        submit({ ...place, replicationGroupId, engine: target.engine as "redis" | "valkey", engineVersion: target.version, parameterGroup, confirmation })
      }
      effect={
        <>
          Upgrades <strong>{replicationGroupId}</strong> ({placeLabel(place)}) from{" "}
          <strong>
            {engineName(current.engine)} {current.version}
          </strong>{" "}
          to{" "}
          <strong data-testid="upgrade-target">
            {engineName(target.engine)} {target.version}
          </strong>{" "}
          (parameter group family <strong>{target.family}</strong>, parameter group{" "}
          <strong>{parameterGroup || automaticGroup(current.parameterGroup, target.family, clusterMode)}</strong>). AWS replaces the nodes one by
          one as a rolling replacement: every replica first, then <strong>one failover per shard</strong> to an upgraded replica (writes pause
          for a few seconds; clients reconnect to the primary endpoint), then the old primary. The group is <em>modifying</em> until the last
          node is replaced, and there is no way back to an earlier version.
          {leavesRedis6OrOlder && " Once it finishes, the cache runs a version in standard support: Extended Support charges for it stop (or never start)."}
          {target.engine !== current.engine && " Valkey is a drop-in replacement for Redis OSS (same protocol and commands) and is priced lower on ElastiCache."}
        </>
      }
    >
      <label className="flex flex-col gap-1">
        Target engine and version
        <select name="engineVersion" value={targetKey} onChange={(e) => { setTargetKey(e.target.value); setParameterGroup(AUTOMATIC); }} className={selectClass}>
          {targets.map((t) => (
            <option key={`${t.engine} ${t.version}`} value={`${t.engine} ${t.version}`}>
              {engineName(t.engine)} {t.version}
            </option>
          ))}
        </select>
      </label>
      <FieldError messages={state.fieldErrors.engineVersion ?? state.fieldErrors.engine} />
      <label className="flex flex-col gap-1">
        Parameter group ({target.family})
        <select name="parameterGroup" value={parameterGroup} onChange={(e) => setParameterGroup(e.target.value)} className={selectClass}>
          <option value={AUTOMATIC}>Chosen by CacheDeck</option>
          {groups.map((g) => (
            <option key={g.name}>{g.name}</option>
          ))}
        </select>
      </label>
      <FieldError messages={state.fieldErrors.parameterGroup} />
    </ConfirmPanel>
  );
}
