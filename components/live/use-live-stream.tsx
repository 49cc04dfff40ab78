"use client";

import { useEffect, useRef, useState } from "react";

export type LiveState = "connecting" | "live" | "reconnecting" | "stopped" | "signed-out";

/**
 * After a stream ends for good (refused: too many tabs, signed out; a load balancer's 502 while an instance restarts),
 * the tab opens a new one after these pauses, the last repeated: a person who closes tabs need not reload the others,
 * and a refused tab does not knock more often than once a minute.
 */
export const liveRetryDelaysMs = [5_000, 15_000, 30_000, 60_000];

/** Whether the browser still holds a session (next-auth's session endpoint answers `{}` without one). */
async function stillSignedIn(): Promise<boolean> {
  try {
    const response = await fetch("/api/auth/session", { cache: "no-store" });
    return !response.ok || Boolean(((await response.json()) as { user?: unknown }).user);
  } catch {
    // Not known (the network): keep trying as for any other failure.
    return true;
  }
}

/**
 * Listens to the tab's push stream (`/api/live?…`) and hands each named event's data to its handler. EventSource
 * reconnects by itself after the server's planned end or a network blip; after a refusal or an error status it gives
 * up, and this opens a new stream after a pause (liveRetryDelaysMs) — unless the session has ended (signed out
 * elsewhere, expired): then it stops and says so, since only signing in again helps.
 */
export function useLiveStream(url: string, handlers: Record<string, (data: unknown) => void>): { state: LiveState; lastMessageAt: number | null } {
  const [state, setState] = useState<LiveState>("connecting");
  const [lastMessageAt, setLastMessageAt] = useState<number | null>(null);
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;
    let closed = false;
    const open = () => {
      const current = new EventSource(url);
      source = current;
      const listen = (name: string) =>
        current.addEventListener(name, (e: MessageEvent) => {
          setState("live");
          setLastMessageAt(Date.now());
          latest.current[name]?.(JSON.parse(e.data));
        });
      ["hello", ...Object.keys(latest.current)].forEach(listen);
      current.onopen = () => {
        failures = 0;
        setState("live");
      };
      current.onerror = async () => {
        if (current.readyState !== EventSource.CLOSED) return setState("reconnecting");
        current.close();
        const signedIn = await stillSignedIn();
        if (closed) return;
        setState(signedIn ? "stopped" : "signed-out");
        if (signedIn) retry = setTimeout(open, liveRetryDelaysMs[Math.min(failures++, liveRetryDelaysMs.length - 1)]);
      };
    };
    open();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [url]);

  return { state, lastMessageAt };
}

const labels: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  stopped: "Not live — trying again shortly",
  "signed-out": "Not live — your session has ended; reload the page to sign in again",
};

/** The page's freshness: when its data was last updated and whether changes are still arriving. */
export function LiveStatus({ state, updatedAt }: { state: LiveState; updatedAt: number }) {
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400" data-testid="live-status" data-state={state}>
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${state === "live" ? "bg-emerald-500" : state === "stopped" || state === "signed-out" ? "bg-red-500" : "bg-amber-500"}`} />
      <span>{labels[state]}</span>
      <span data-testid="rendered-at" data-rendered-at={updatedAt}>· updated {new Date(updatedAt).toISOString().slice(11, 19)} UTC</span>
    </div>
  );
}
