"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useLayoutEffect, useState, useSyncExternalStore } from "react";
import { keptParam, withParams } from "@/components/ui/url";

export type ParamChanges = Record<string, string | undefined>;
type Params = Record<string, string>;

// The fleet page's filters and sort live in the URL and are applied in the browser, on rows it already holds. They are
// read through this small store rather than Next's useSearchParams: Next turns each history.pushState into a router
// transition, so readers of useSearchParams re-rendered in a time-sliced transition lane after Next's own update, a
// sort or a filter at 1,100 caches spread over many small tasks. Readers of the store re-render synchronously, within
// the input's own task. The history is still written through Next (its router follows, so its own navigations and
// refreshes keep the URL), Back/Forward arrive as popstate, and links and the form still carry real URLs, so they work
// without JavaScript and can be shared.

const listeners = new Set<() => void>();
type Cached = { search: string; params: Params };
let cached: Cached = { search: "", params: {} };

function paramsOf(search: string): Params {
  return Object.fromEntries([...new URLSearchParams(search)].filter(([k, v]) => keptParam(k, v)));
}

/** Equal params, whatever the order of their keys. */
function sameParams(a: Params, b: Params): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/**
 * The cache for the address bar's query `search`: the params object readers already hold while the query means the
 * same. A new but equal object would re-render every reader for nothing; right after hydration (the server's params
 * against the address bar's) that was the whole fleet table rendered a second time inside the hydrating task.
 */
export function cacheFor(previous: Cached, search: string): Cached {
  if (search === previous.search) return previous;
  const params = paramsOf(search);
  return { search, params: sameParams(params, previous.params) ? previous.params : params };
}

/** The address bar's params; the same object until the query changes. */
function snapshot(): Params {
  cached = cacheFor(cached, window.location.search);
  return cached.params;
}

function notify() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener("popstate", notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener("popstate", notify);
  };
}

/** The params the server rendered with: the store's snapshot on the server and while hydrating. */
const ServerParams = createContext<Params | null>(null);

/**
 * Around every reader of `useFleetParams` (the fleet page). It hands the readers the params the server rendered with,
 * and tells them when Next itself changed the URL (a link to the page with other params, a Back it restored): Next
 * writes the address bar as it commits, so they read it again then.
 */
export function FleetParamsProvider({ children }: { children: React.ReactNode }) {
  const next = useSearchParams();
  // Only the first render's: readers below must not re-render when Next's copy catches up with the store.
  const [server] = useState(() => {
    const params = paramsOf(next.toString());
    // The store starts from this very object, so the readers' first client snapshot is the server's and hydration ends
    // without a second render.
    if (typeof window !== "undefined") cached = cacheFor({ search: "\0", params }, window.location.search);
    return params;
  });
  useLayoutEffect(notify, [next]);
  return <ServerParams.Provider value={server}>{children}</ServerParams.Provider>;
}

export function useFleetParams() {
  const server = useContext(ServerParams);
  if (!server) throw new Error("useFleetParams needs a FleetParamsProvider above it (the fleet page has one)");
  const params = useSyncExternalStore(subscribe, snapshot, () => server);
  const pathname = usePathname();
  const href = useCallback((changes: ParamChanges) => withParams(pathname, params, changes), [pathname, params]);
  /** "push" for a choice (Back undoes it), "replace" while typing (one history entry per search, not per key). */
  const change = useCallback(
    (changes: ParamChanges, mode: "push" | "replace" = "push") => {
      // The live URL, not the rendered one: two changes in one event must not undo each other.
      const url = withParams(pathname, snapshot(), changes);
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
      notify();
    },
    [pathname],
  );
  return { params, href, change };
}

/** A plain click changes the URL in place; a modified click (new tab, new window) follows the real link. */
export function QueryLink({ changes, ...props }: { changes: ParamChanges } & Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  const { href, change } = useFleetParams();
  return <ParamsLink {...props} href={href(changes)} onChange={() => change(changes)} />;
}

/** QueryLink's anchor for a caller that already holds the params: `href` is where a modified click goes, `onChange` what a plain one does. */
export function ParamsLink({ onChange, ...props }: { href: string; onChange: () => void } & Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, "href" | "onChange">) {
  return (
    <a
      {...props}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        onChange();
      }}
    />
  );
}
