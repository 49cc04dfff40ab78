import Form from "next/form";
import Link from "next/link";
import { problemLabels, type ProblemCode } from "@/lib/data/health";
import { AutoSubmit } from "@/components/ui/auto-submit";

interface Options {
  regions: string[];
  engines: string[];
  statuses: string[];
  problems: ProblemCode[];
  tags: string[];
}

const field = "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800";

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
      {label}
      <select name={name} defaultValue={value ?? ""} className={field}>
        <option value="">All</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>{text}</option>
        ))}
      </select>
    </label>
  );
}

/** A GET form: filters land in the URL (shareable) and work without JavaScript; with it they apply on change. */
export function FleetFilters({ params, options }: { params: Record<string, string>; options: Options }) {
  const pairs = (values: string[]) => values.map((v) => [v, v] as [string, string]);
  const keep = ["sort", "dir", "range", "from", "to", "health"].filter((k) => params[k]);
  return (
    <Form action="/" className="flex flex-wrap items-end gap-2" role="search" aria-label="Filter clusters">
      {keep.map((k) => (
        <input key={k} type="hidden" name={k} value={params[k]} />
      ))}
      <label className="flex flex-col text-xs text-slate-600 dark:text-slate-400">
        Search
        <input type="search" name="q" defaultValue={params.q} placeholder="name, node type, tag…" className={`${field} w-56`} />
      </label>
      <Select name="region" label="Region" value={params.region} options={pairs(options.regions)} />
      <Select name="engine" label="Engine" value={params.engine} options={pairs(options.engines)} />
      <Select name="status" label="Status" value={params.status} options={[["not-available", "Not available"], ...pairs(options.statuses)]} />
      <Select name="problem" label="Problem" value={params.problem} options={[["any", "Any problem"], ...options.problems.map((p) => [p, problemLabels[p]] as [string, string])]} />
      <Select name="tag" label="Tag" value={params.tag} options={pairs(options.tags)} />
      <button type="submit" className="rounded bg-sky-700 px-3 py-1 text-sm text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
        Apply
      </button>
      <Link href="/" className="px-2 py-1 text-sm text-sky-800 underline hover:no-underline dark:text-sky-300">
        Clear
      </Link>
      <AutoSubmit />
    </Form>
  );
}
