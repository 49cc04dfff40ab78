// Charts take turns to draw: one chart per browser task, with a paint in between, so a page of many large charts never
// blocks the main thread for longer than its largest chart takes. Charts on screen go first; the rest draw when the
// browser is idle, so they are ready before anyone scrolls to them.

type Turn = { draw: () => void; urgent: boolean };

const waiting: Turn[] = [];
let drawing = false;
let watchdog: ReturnType<typeof setTimeout> | undefined;

/** A chart whose turn ran but never reported (it unmounted first) must not stall the others. */
const turnTimeoutMs = 2_000;

function next() {
  if (drawing) return;
  const i = waiting.findIndex((t) => t.urgent);
  const turn = i >= 0 ? waiting.splice(i, 1)[0] : waiting.shift();
  if (!turn) return;
  drawing = true;
  watchdog = setTimeout(turnDrawn, turnTimeoutMs);
  turn.draw();
}

function schedule(urgent: boolean) {
  if (urgent || typeof requestIdleCallback !== "function") setTimeout(next, 0);
  else requestIdleCallback(next, { timeout: 1_000 });
}

/**
 * Asks for a turn; `draw` runs when it comes (it should set the state that renders the chart). Returns a cancel
 * function. The drawer calls turnDrawn() once that render has committed.
 */
export function requestTurn(draw: () => void, urgent: boolean): () => void {
  const turn: Turn = { draw, urgent };
  waiting.push(turn);
  schedule(urgent);
  return () => {
    const i = waiting.indexOf(turn);
    if (i >= 0) waiting.splice(i, 1);
  };
}

/** The current turn's chart is on the page: let the browser paint, then start the next. */
export function turnDrawn() {
  if (!drawing) return;
  clearTimeout(watchdog);
  drawing = false;
  if (waiting.length === 0) return;
  requestAnimationFrame(() => schedule(waiting.some((t) => t.urgent)));
}
