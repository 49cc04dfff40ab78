import type { BrowserContext, Page } from "playwright-core";

// Browser-side figures of one page in Chromium: when it is complete (data rendered, no loading skeleton), its DOM
// size, the main thread's long tasks (PerformanceObserver "longtask"), and what the server sends for it.

declare global {
  interface Window {
    __longTasks?: number[];
    /** Event Timing entries of 16 ms or more: when the input happened and how long until the paint after it. */
    __events?: { start: number; duration: number }[];
    /** Set by a benchmark's in-page timing once its result is in. */
    __timed?: { ms: number; longest: number; event: number };
    /** Settles with `__timed`. */
    __timedDone?: Promise<{ ms: number; longest: number; event: number }>;
  }
}

/** Every page of the context records its long tasks and slow input events from its first script on. */
export async function recordLongTasks(context: BrowserContext): Promise<void> {
  // tsx names functions with a helper (`__name`) that a function serialised into the page would miss; the page
  // functions the benchmarks pass are plain code, so the helper can be the identity.
  await context.addInitScript({ content: "window.__name = (f) => f;" });
  await context.addInitScript(() => {
    window.__longTasks = [];
    window.__events = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks!.push(entry.duration);
    }).observe({ type: "longtask", buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__events!.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "event", buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  });
}

const COMPLETE_TIMEOUT_MS = 180_000;

/** Data rendered: a heading, no busy region, and (`rows`) table rows — or an AWS problem shown instead. */
export async function waitComplete(page: Page, rows: boolean): Promise<void> {
  await page.waitForFunction(
    (needRows) =>
      !document.querySelector("[aria-busy=true]") &&
      (document.querySelector("[role=alert]") || (document.querySelector("main h1") && (!needRows || document.querySelector("tbody tr th[scope=row]")))),
    rows,
    { timeout: COMPLETE_TIMEOUT_MS, polling: 50 },
  );
}

export interface PageFigures {
  /** Navigation start → complete, ms. */
  completeMs: number;
  domNodes: number;
  longTasks: number[];
  /** The AWS problem the page shows instead of data, if any. */
  problem?: string;
}

/** Loads `url` and measures it once complete (long tasks a second later, so the last one has ended). */
export async function visit(page: Page, url: string, rows: boolean): Promise<PageFigures> {
  await page.goto(url, { waitUntil: "commit", timeout: COMPLETE_TIMEOUT_MS });
  await waitComplete(page, rows);
  const completeMs = await page.evaluate(() => performance.now());
  await page.waitForTimeout(1000);
  return { completeMs, ...(await pageShape(page)) };
}

export async function pageShape(page: Page): Promise<{ domNodes: number; longTasks: number[]; problem?: string }> {
  return page.evaluate(() => ({
    domNodes: document.getElementsByTagName("*").length,
    longTasks: [...(window.__longTasks ?? [])],
    problem: document.querySelector("[role=alert]")?.textContent?.slice(0, 160) ?? undefined,
  }));
}

/** The HTML of a full load and the RSC payload of a client navigation to `url`, in bytes, with the page's cookies. */
export async function payloadBytes(page: Page, url: string): Promise<{ html: number; rsc: number }> {
  const html = await page.request.get(url, { timeout: COMPLETE_TIMEOUT_MS });
  const rsc = await page.request.get(url, { headers: { RSC: "1" }, timeout: COMPLETE_TIMEOUT_MS });
  return { html: (await html.body()).length, rsc: (await rsc.body()).length };
}

const firstRowName = () => document.querySelector("tbody tr th[scope=row]")?.textContent ?? "";

/**
 * `act` on the fleet table, then the time until its first row changed (or `shownBy` matches: a sort that leaves the
 * first row where it was, as when no cache has health data yet, is shown by its header) and nothing is busy, ms.
 */
export async function untilTableChanges(page: Page, act: () => Promise<void>, shownBy?: string): Promise<number> {
  const before = await page.evaluate(firstRowName);
  const started = Date.now();
  await act();
  await page.waitForFunction(
    ([previous, shownBy]) =>
      (document.querySelector("tbody tr th[scope=row]")?.textContent !== previous || (shownBy !== undefined && document.querySelector(shownBy) !== null)) &&
      !document.querySelector("[aria-busy=true]"),
    [before, shownBy] as const,
    { timeout: COMPLETE_TIMEOUT_MS, polling: "raf" },
  );
  return Date.now() - started;
}

/** Resolves with Date.now() when the cluster page shows `cacheClusterId` as a primary. */
export async function whenShownPrimary(page: Page, cacheClusterId: string, timeoutMs: number): Promise<number> {
  await page.waitForFunction(
    (id) => [...document.querySelectorAll("[data-testid=node-card][data-role=primary]")].some((card) => card.getAttribute("data-node")?.startsWith(id)),
    cacheClusterId,
    { timeout: timeoutMs, polling: 50 },
  );
  return Date.now();
}
