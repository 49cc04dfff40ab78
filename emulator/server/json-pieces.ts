import { TimeSlice } from "./time-slice";

// An answer of several MiB (a GetMetricData of 100,800 datapoints) took a few hundred milliseconds of JSON.stringify,
// during which no other request was answered. This writes the same text in pieces instead, handing the event loop back
// whenever a time slice is used up; a small answer is still one piece.

/** Elements of a primitive array (timestamps, values) encoded per JSON.stringify call. */
const PRIMITIVES_PER_STEP = 2_000;

/** What the awsJson wire format sends for a value: Dates as epoch seconds, Maps as objects. */
function wireValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === "object";
const omitted = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol";

/** `JSON.stringify(value, jsonReplacer)`'s text as a sequence of strings, walked so it can pause between them. */
function* encode(raw: unknown): Generator<string> {
  const value = wireValue(raw);
  if (Array.isArray(value)) {
    yield "[";
    for (let i = 0; i < value.length; ) {
      if (i > 0) yield ",";
      if (isContainer(wireValue(value[i]))) {
        yield* encode(value[i]);
        i += 1;
      } else {
        // A run of primitives (Dates included) in one call: fast, and still short enough to pause after.
        let end = i;
        while (end < value.length && end - i < PRIMITIVES_PER_STEP && !isContainer(wireValue(value[end]))) end++;
        yield JSON.stringify(value.slice(i, end).map(wireValue)).slice(1, -1);
        i = end;
      }
    }
    yield "]";
  } else if (isContainer(value)) {
    yield "{";
    let first = true;
    for (const [key, member] of Object.entries(value)) {
      if (omitted(wireValue(member))) continue;
      yield `${first ? "" : ","}${JSON.stringify(key)}:`;
      first = false;
      yield* encode(member);
    }
    yield "}";
  } else {
    yield JSON.stringify(omitted(value) ? null : value);
  }
}

/** The JSON text of `value` in pieces: one each time the slice is used up, the rest at the end. */
export async function* jsonPieces(value: unknown, slice = new TimeSlice()): AsyncGenerator<string> {
  let pending: string[] = [];
  for (const part of encode(value)) {
    // The clock is read every few dozen parts: a part is at most a few kB of text.
    if (pending.push(part) % 32 !== 0 || !slice.isDue()) continue;
    yield pending.join("");
    pending = [];
    await slice.yieldIfDue();
  }
  yield pending.join("");
}
