"use client";

import { useCallback, useSyncExternalStore } from "react";

/**
 * Whether a CSS media query matches, kept current. The server cannot know, so it renders `serverGuess` (and the first
 * client render agrees with it); the real answer replaces it right after hydration.
 */
export function useMediaQuery(query: string, serverGuess: boolean): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches, () => serverGuess);
}

const never = () => () => {};

/** False on the server and while hydrating, true once the page's scripts run. */
export function useHydrated(): boolean {
  return useSyncExternalStore(never, () => true, () => false);
}
