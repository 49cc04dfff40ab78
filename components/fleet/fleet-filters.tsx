"use client";

import { memo, useCallback, useEffect, useMemo, useRef } from "react";
import { useHydrated } from "@/components/ui/use-media-query";
import type { FleetFilterOptions } from "@/lib/data/fleet-query";
import { problemLabels } from "@/lib/data/health";
import { lifecycleFilterLabels } from "@/lib/posture/engine-lifecycle";
import { filterColumns } from "./fleet-columns";
import { QueryLink, useFleetParams } from "./use-fleet-params";

const field = "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800";
const filterNames = ["q", "account", ...filterColumns.map((c) => c.id), "status", "problem", "lifecycle", "posture", "tag", "group"];
/** What a GET submit without JavaScript must carry along besides the fields. */
const carried = ["sort", "dir", "range", "from", "to", "health"] as const;

/** Memoised: a change of one param (a sort, another menu) re-renders no menu whose value and choices stayed. */
const Select = memo(function Select({ name, label, value, options, onPick }: { name: string; label: string; value?: string; options: [string, string][]; onPick: (name: string, value: string) => void }) {
  return (
    <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
      {label}
      <select name={name} value={value ?? ""} onChange={(event) => onPick(name, event.target.value)} className={field}>
        <option value="">All</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>{text}</option>
        ))}
      </select>
    </label>
  );
});

const pairs = (values: string[]) => values.map((v) => [v, v] as [string, string]);
const groupChoices: [string, string][] = [["account", "Account"]];

/** The posture export covers the account and region the fleet is filtered to (the other filters are the page's). */
function postureExportHref(params: Record<string, string>): string {
  const scope = new URLSearchParams(Object.entries({ account: params.account, region: params.region }).filter((e): e is [string, string] => Boolean(e[1])));
  return `/posture/export${scope.size ? `?${scope}` : ""}`;
}

/**
 * Filters in the URL. With JavaScript a menu applies on change and the search box as you type, on rows the browser
 * already has; without it the form is a plain GET and the server applies them.
 */
export function FleetFilters({ options, columnOptions, accounts }: { options: FleetFilterOptions; columnOptions: string[][]; accounts: boolean }) {
  const { params, change } = useFleetParams();
  const hydrated = useHydrated();
  const search = useRef<HTMLInputElement>(null);
  const pick = useCallback((name: string, value: string) => change({ [name]: value || undefined }), [change]);
  // The menus' choices change only with the rows (a live update), not with the params.
  const choices = useMemo(
    () => ({
      accounts: pairs(options.accounts),
      columns: columnOptions.map(pairs),
      statuses: [["not-available", "Not available"], ...pairs(options.statuses)] as [string, string][],
      problems: [["any", "Any problem"], ...options.problems.map((p) => [p, problemLabels[p]] as [string, string])] as [string, string][],
      lifecycle: Object.entries(lifecycleFilterLabels),
      posture: [["any", "Any finding"], ["high", "High severity"], ...pairs(options.controls)] as [string, string][],
      tags: pairs(options.tags),
    }),
    [options, columnOptions],
  );

  // The box is uncontrolled (typing never waits for a render); it follows the URL when something else changed it
  // (Back, Clear), but never under the user's fingers.
  const q = params.q ?? "";
  useEffect(() => {
    const input = search.current;
    if (input && input.value !== q && document.activeElement !== input) input.value = q;
  }, [q]);

  return (
    <form
      action="/"
      className="flex flex-wrap items-end gap-2"
      role="search"
      aria-label="Filter clusters"
      data-autosubmit={hydrated ? "ready" : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        change(Object.fromEntries(filterNames.map((k) => [k, String(data.get(k) ?? "").trim() || undefined])));
      }}
    >
      {carried.filter((k) => params[k]).map((k) => (
        <input key={k} type="hidden" name={k} value={params[k]} />
      ))}
      <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
        Search
        <input
          ref={search}
          type="search"
          name="q"
          defaultValue={q}
          placeholder="name, node type, tag…"
          className={`${field} w-56`}
          onChange={(event) => change({ q: event.target.value.trim() || undefined }, "replace")}
        />
      </label>
      {accounts && <Select name="account" label="Account" value={params.account} options={choices.accounts} onPick={pick} />}
      {filterColumns.map((c, i) => (
        <Select key={c.id} name={c.id} label={c.filter.label} value={params[c.id]} options={choices.columns[i]} onPick={pick} />
      ))}
      <Select name="status" label="Status" value={params.status} options={choices.statuses} onPick={pick} />
      <Select name="problem" label="Problem" value={params.problem} options={choices.problems} onPick={pick} />
      <Select name="lifecycle" label="Lifecycle" value={params.lifecycle} options={choices.lifecycle} onPick={pick} />
      <Select name="posture" label="Posture" value={params.posture} options={choices.posture} onPick={pick} />
      <Select name="tag" label="Tag" value={params.tag} options={choices.tags} onPick={pick} />
      {accounts && <Select name="group" label="Group by" value={params.group} options={groupChoices} onPick={pick} />}
      <button type="submit" className="rounded bg-sky-700 px-3 py-1 text-sm text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
        Apply
      </button>
      <QueryLink
        changes={Object.fromEntries([...filterNames, "health"].map((k) => [k, undefined]))}
        className="px-2 py-1 text-sm text-sky-800 underline hover:no-underline dark:text-sky-300"
      >
        Clear
      </QueryLink>
      <a href={postureExportHref(params)} download className="px-2 py-1 text-sm text-sky-800 underline hover:no-underline dark:text-sky-300" data-testid="posture-export">
        Export posture (CSV)
      </a>
    </form>
  );
}
