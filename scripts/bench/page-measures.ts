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

/** Resolves with Date.now() when the cluster page shows `cacheClusterId` as a primary. */
export async function whenShownPrimary(page: Page, cacheClusterId: string, timeoutMs: number): Promise<number> {
  await page.waitForFunction(
    (id) => [...document.querySelectorAll("[data-testid=node-card][data-role=primary]")].some((card) => card.getAttribute("data-node")?.startsWith(id)),
    cacheClusterId,
    { timeout: timeoutMs, polling: 50 },
  );
  return Date.now();
}

// An interaction timed by the page's own clock (fleet-browser's method, shared with fleet-scale): from the input event
// that acts to the first frame painted with the result, without Playwright's round trips in the span.

/** What an interaction does in the page: click a link, pick a menu entry, or type into the search box. */
export type Act = { click: string } | { select: [label: string, value: string] } | { type: string };
/** When its result shows: the first row is another, or the "Showing N of M" line starts with (or differs from) a text. */
export type Done = { firstRowNot: string | null } | { shownStarts: string } | { shownNot: string | null };

export interface Timed {
  /** Input event → first frame painted with the result. */
  ms: number;
  /** Longest main-thread task in that span. */
  longest: number;
  /** Event Timing's longest entry for the input (input delay + handlers + the paint that followed them). */
  event: number;
}

/**
 * Arms the page: from the next input event on, it watches (once a frame) for `done` and records the time from the
 * event's timestamp to the frame after it holds. No eval: the app's CSP forbids it, so the page runs this one fixed
 * function with plain data.
 */
async function arm(page: Page, done: Done): Promise<void> {
  await page.evaluate((done) => {
    const firstRow = () => document.querySelector("[data-testid=cluster-row]")?.getAttribute("data-cluster") ?? null;
    const shown = () => document.querySelector("[data-testid=shown-count]")?.textContent ?? null;
    const holds = () => ("firstRowNot" in done ? firstRow() !== done.firstRowNot : "shownStarts" in done ? (shown() ?? "").startsWith(done.shownStarts) : shown() !== done.shownNot);
    window.__timed = undefined;
    let settle: (timed: NonNullable<typeof window.__timed>) => void = () => {};
    window.__timedDone = new Promise((resolve) => (settle = resolve));
    const tasksBefore = window.__longTasks!.length;
    let started: number | null = null;
    const onInput = (event: Event) => {
      if (started !== null) return;
      started = event.timeStamp;
      requestAnimationFrame(check);
    };
    // The event that acts: a click, a keystroke, a menu's pick (input, then change).
    for (const type of ["click", "keydown", "input", "change"]) document.addEventListener(type, onInput, { capture: true, once: true });
    // After the frame in which the result is in the DOM has been painted: `check` runs in each frame's rAF, before
    // that frame paints, so a task it queues runs once the frame showing the result is painted. (Asking for one more
    // animation frame first, as this bench did, waited for the frame after that one.)
    const afterPaint = (then: () => void) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = then;
      channel.port2.postMessage(null);
    };
    const check = () => {
      if (!holds()) return requestAnimationFrame(check);
      afterPaint(() => {
        const ms = performance.now() - started!;
        // Long tasks and event entries are reported after they end; give the observers a moment.
        setTimeout(() => {
          const events = window.__events!.filter((e) => e.start >= started! - 1);
          window.__timed = { ms, longest: Math.max(0, ...window.__longTasks!.slice(tasksBefore)), event: Math.max(0, ...events.map((e) => e.duration)) };
          settle(window.__timed);
        }, 100);
      });
    };
  }, done);
}

export async function timedInPage(page: Page, act: Act, done: Done): Promise<Timed> {
  await arm(page, done);
  let timer: NodeJS.Timeout | undefined;
  const timed = Promise.race([
    page.evaluate(() => window.__timedDone!),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("no result in the page within 60 s")), 60_000))),
  ]).finally(() => clearTimeout(timer));
  if ("click" in act) await page.click(act.click);
  else if ("select" in act) await page.getByLabel(act.select[0]).selectOption(act.select[1]);
  else if (act.type) await page.getByRole("searchbox", { name: "Search" }).press(act.type);
  else await page.getByRole("searchbox", { name: "Search" }).fill("");
  return timed;
}
