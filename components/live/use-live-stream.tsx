"use client";

import { useEffect, useRef, useState } from "react";

export type LiveState = "connecting" | "live" | "reconnecting" | "stopped";

/**
 * Listens to the tab's push stream (`/api/live?…`) and hands each named event's data to its handler. EventSource
 * reconnects by itself after the server's planned end or a network blip; a refusal (signed out, too many tabs) stops it.
 */
export function useLiveStream(url: string, handlers: Record<string, (data: unknown) => void>): { state: LiveState; lastMessageAt: number | null } {
  const [state, setState] = useState<LiveState>("connecting");
  const [lastMessageAt, setLastMessageAt] = useState<number | null>(null);
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const source = new EventSource(url);
    const listeners = new Map<string, (e: MessageEvent) => void>();
    const listen = (name: string) => {
      const listener = (e: MessageEvent) => {
        setState("live");
        setLastMessageAt(Date.now());
        latest.current[name]?.(JSON.parse(e.data));
      };
      listeners.set(name, listener);
      source.addEventListener(name, listener);
    };
    ["hello", ...Object.keys(latest.current)].forEach(listen);
    source.onopen = () => setState("live");
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? "stopped" : "reconnecting");
    return () => {
      for (const [name, listener] of listeners) source.removeEventListener(name, listener);
      source.close();
    };
  }, [url]);

  return { state, lastMessageAt };
}

const labels: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  stopped: "Not live — reload the page",
};

/** The page's freshness: when its data was last updated and whether changes are still arriving. */
export function LiveStatus({ state, updatedAt }: { state: LiveState; updatedAt: number }) {
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400" data-testid="live-status" data-state={state}>
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${state === "live" ? "bg-emerald-500" : state === "stopped" ? "bg-red-500" : "bg-amber-500"}`} />
      <span>{labels[state]}</span>
      <span data-testid="rendered-at" data-rendered-at={updatedAt}>· updated {new Date(updatedAt).toISOString().slice(11, 19)} UTC</span>
    </div>
  );
}
