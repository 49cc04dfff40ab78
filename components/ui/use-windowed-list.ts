"use client";

import { useEffect, useMemo, useState } from "react";

// Renders only the items near the viewport of a long list that scrolls with the page (a table body, a list of
// cards): items above and below are replaced by two spacers of their height. Heights are measured as items render and
// estimated until then (as the mean of those measured so far, so a list of tall items is not taken for one of short
// ones), so items may differ in height. The server and the first client render show the first
// `initial` items (the server knows no viewport); from the next frame on the slice follows the scroll position.

export interface WindowedList {
  /** The rendered slice is [start, end). */
  start: number;
  end: number;
  /** Heights in px of the spacers standing in for the items before and after the slice. */
  before: number;
  after: number;
  /** Pass as `ref` of the element whose children are the items; each rendered item carries `data-window-key`. */
  attach: (element: HTMLElement | null) => void;
}

interface Options {
  /** Height in px assumed for an item before any has been measured; afterwards the mean measured height is. */
  estimate: number;
  /**
   * Extra px rendered above and below the viewport, so scrolling and tabbing find items already there: about one
   * item. Every item of the slice is rendered and committed again on a sort or filter, most of a sort's time (a
   * Chromium profile at 1,100 caches: 35 ms of React's commit for 9 rows); 800 px rendered twice the rows a 900 px
   * window shows.
   */
  overscan?: number;
  /** Items the server renders (it knows no viewport): about a screen of them, no more, since the page ships them as HTML. */
  initial?: number;
}

/** The first index whose end lies below `y` (offsets[i] is where item i starts; offsets[n] the total height). */
function firstEndingAfter(offsets: number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1] > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function meanOf(heights: ReadonlyMap<string, number>): number | null {
  if (heights.size === 0) return null;
  let sum = 0;
  for (const h of heights.values()) sum += h;
  return sum / heights.size;
}

/** Scroll positions are rounded to this many px: finer steps would re-render the list without changing the slice. */
const scrollStep = 64;

export function useWindowedList(keys: readonly string[], { estimate, overscan = 160, initial = 12 }: Options): WindowedList {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [heights, setHeights] = useState(() => new Map<string, number>());
  /** Where the viewport is, in px from the list's top; null until the browser has said (the server cannot). */
  const [view, setView] = useState<{ top: number; height: number } | null>(null);

  const offsets = useMemo(() => {
    const guess = meanOf(heights) ?? estimate;
    const sums = new Array<number>(keys.length + 1);
    sums[0] = 0;
    for (let i = 0; i < keys.length; i += 1) sums[i + 1] = sums[i] + (heights.get(keys[i]) ?? guess);
    return sums;
  }, [keys, estimate, heights]);

  useEffect(() => {
    if (!element) return;
    const look = () => {
      const top = Math.round(-element.getBoundingClientRect().top / scrollStep) * scrollStep;
      const height = window.innerHeight;
      setView((v) => (v && v.top === top && v.height === height ? v : { top, height }));
    };
    let frame = requestAnimationFrame(() => ((frame = 0), look()));
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), look()));
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    // The real height of each item shown, now and whenever it changes (a pushed problem adds a line, the window
    // narrows and text wraps); a difference moves the spacers, and content above the list may have moved it too.
    const observer = new ResizeObserver((entries) => {
      setHeights((current) => {
        let next: Map<string, number> | null = null;
        for (const entry of entries) {
          const key = (entry.target as HTMLElement).dataset.windowKey;
          const height = entry.borderBoxSize[0]?.blockSize;
          if (key === undefined || height === undefined || Math.abs((current.get(key) ?? -1) - height) <= 0.5) continue;
          next ??= new Map(current);
          next.set(key, height);
        }
        return next ?? current;
      });
      onScroll();
    });
    const watch = () => {
      observer.disconnect();
      for (const item of element.querySelectorAll(":scope > [data-window-key]")) observer.observe(item);
    };
    watch();
    // Items come and go as the slice moves, or an element is reused for another item (a list keyed by position); observe
    // whichever are there, afresh, so each one's height is reported under its current key.
    const children = new MutationObserver(watch);
    children.observe(element, { childList: true, subtree: true, attributeFilter: ["data-window-key"] });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
      observer.disconnect();
      children.disconnect();
    };
  }, [element]);

  const n = keys.length;
  let start = 0;
  let end = Math.min(initial, n);
  if (view && n > 0) {
    start = firstEndingAfter(offsets, view.top - overscan);
    end = Math.min(n, firstEndingAfter(offsets, view.top + view.height + overscan) + 1);
  }
  return { start, end, before: offsets[start], after: offsets[n] - offsets[end], attach: setElement };
}
