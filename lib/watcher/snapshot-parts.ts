import { PointStore, type DecodedPoints } from "./point-store";

// A snapshot's long lists travel in parts of their own, written before its head (relay.ts): the point store's
// metrics, the topology, the tags and the capacity read's series. The head keeps the rest (a few kB) and names each
// part's kind in order. With the topology and the capacity read inline, the head of the fleet (1,000 groups ×
// 3 members + 100 Memcached) was 9.3 MB: one JSON.parse on a follower and one JSON.stringify on the leader, each
// holding the event loop for tens of ms, and more on a loaded machine. A part is parsed alone, in its own turn.

/** What a snapshot part holds: a slice of the point store, or of one of the state's long lists. */
export type SnapshotPartKind = "points" | "groups" | "clusters" | "serverless" | "tags" | "capacity";

/**
 * What this module needs of a snapshot's head: region-watcher.ts's SnapshotHead has this shape (described here, not
 * imported, since region-watcher.ts imports this module).
 */
export interface SnapshotHeadShape {
  at: number;
  partKinds?: SnapshotPartKind[];
  state: { groups: unknown[]; clusters: unknown[]; serverless: unknown[]; tags: unknown[]; capacity?: { series: unknown[] | null } | null };
}

/** The state's lists a snapshot writes as parts; the head's copy of each is empty and a follower fills it from them. */
type SnapshotListKind = Exclude<SnapshotPartKind, "points">;

/** About this much JSON per list part: a few ms to encode or parse even on a loaded machine. */
const listPartChars = 512 * 1024;

/** A list's items as JSON arrays of about `listPartChars` each, each encoded when the iterator is asked for it. */
function* listParts(items: readonly unknown[]): Generator<string> {
  let chunk: string[] = [];
  let chars = 0;
  for (const item of items) {
    const json = JSON.stringify(item);
    chunk.push(json);
    chars += json.length + 1;
    if (chars >= listPartChars) {
      yield `[${chunk.join(",")}]`;
      chunk = [];
      chars = 0;
    }
  }
  if (chunk.length > 0) yield `[${chunk.join(",")}]`;
}

/** A snapshot as relay.ts writes it: its parts, each encoded when asked for, then its head naming them. */
export interface SnapshotRows {
  at: number;
  parts: Iterable<string>;
  /** The head's JSON: asked for once every part has been taken, since it names them. */
  head: () => string;
}

/**
 * The rows of a snapshot: `points` (each part encoded when asked for), then its state's long lists in parts, then
 * its head. What the lists hold (caches, tags, the capacity read) is replaced on change, never changed in place, so
 * encoding them later writes them as they were; the rest of the head is encoded now.
 */
export function snapshotRows<Head extends Omit<SnapshotHeadShape, "partKinds">>(record: Head, points: (() => string)[]): SnapshotRows {
  const { state } = record;
  const lists: [SnapshotListKind, readonly unknown[]][] = [
    ["groups", state.groups],
    ["clusters", state.clusters],
    ["serverless", state.serverless],
    ["tags", state.tags],
    ["capacity", state.capacity?.series ?? []],
  ];
  const capacity = state.capacity && { ...state.capacity, series: state.capacity.series && [] };
  const rest = JSON.stringify({ ...record, state: { ...state, groups: [], clusters: [], serverless: [], tags: [], capacity } });
  const partKinds: SnapshotPartKind[] = [];
  function* parts(): Generator<string> {
    for (const part of points) {
      partKinds.push("points");
      yield part();
    }
    for (const [kind, items] of lists) {
      for (const part of listParts(items)) {
        partKinds.push(kind);
        yield part;
      }
    }
  }
  // The part kinds are known once the lists are cut: added to the head's JSON at its end.
  const head = () => `${rest.slice(0, -1)},"parts":${partKinds.length},"partKinds":${JSON.stringify(partKinds)}}`;
  return { at: record.at, parts: parts(), head };
}

/**
 * A follower's snapshot, put together one part at a time (`add` parses one; the caller hands the event loop back
 * between them). A head without part kinds was written by an older leader: its state is inline and every part holds
 * points.
 */
export class SnapshotAssembly<Head extends SnapshotHeadShape> {
  readonly points: DecodedPoints[] = [];
  private added = 0;

  constructor(readonly head: Head) {}

  add(payload: string): void {
    const kind = this.head.partKinds?.[this.added] ?? "points";
    this.added += 1;
    if (kind === "points") {
      this.points.push(PointStore.decode(payload));
      return;
    }
    const list = this.listOf(kind);
    // One at a time: a spread of 10,000 items would overflow the stack.
    for (const item of JSON.parse(payload) as never[]) list.push(item);
  }

  private listOf(kind: SnapshotListKind): unknown[] {
    const { state } = this.head;
    if (kind === "capacity") {
      if (!state.capacity?.series) throw new Error("a snapshot part of capacity series, but its head has no capacity read");
      return state.capacity.series;
    }
    if (!(kind in state) || !Array.isArray(state[kind])) throw new Error(`a snapshot part of an unknown kind: ${String(kind)}`);
    return state[kind];
  }
}
