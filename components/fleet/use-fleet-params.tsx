"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { withParams } from "@/components/ui/url";

export type ParamChanges = Record<string, string | undefined>;

/**
 * The fleet page's filters and sort, read from and written to the URL without a server round trip: Next keeps
 * useSearchParams in step with history.pushState / replaceState, so the table re-derives its rows from data it
 * already holds. Links and the form still carry real URLs, so they work without JavaScript and can be shared.
 */
export function useFleetParams() {
  const search = useSearchParams();
  const pathname = usePathname();
  const params = useMemo(() => Object.fromEntries([...search.entries()].filter(([, v]) => v)), [search]);
  const href = useCallback((changes: ParamChanges) => withParams(pathname, params, changes), [pathname, params]);
  /** "push" for a choice (Back undoes it), "replace" while typing (one history entry per search, not per key). */
  const change = useCallback(
    (changes: ParamChanges, mode: "push" | "replace" = "push") => {
      // The live URL, not the rendered one: two changes in one event must not undo each other.
      const current = Object.fromEntries(new URLSearchParams(window.location.search));
      const url = withParams(pathname, current, changes);
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname],
  );
  return { params, href, change };
}

/** A plain click changes the URL in place; a modified click (new tab, new window) follows the real link. */
export function QueryLink({ changes, ...props }: { changes: ParamChanges } & Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  const { href, change } = useFleetParams();
  return (
    <a
      {...props}
      href={href(changes)}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        change(changes);
      }}
    />
  );
}
