import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PerformanceObserver, constants } from "node:perf_hooks";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { PointStore } from "../../lib/watcher/point-store";
import { runsTable, saveRun, type Figures, type Runs } from "./labelled-runs";
import { machineDescription } from "./machine";

// The watcher's point store at issue 12's fleet (1,000 replication groups + 100 Memcached: 18,400 health metrics),
// three hours of one-minute points each: what it costs the heap and the garbage collector, and how long the
// operations the watcher calls take (merge of a read, the health window's cuts, a snapshot's encode/decode/load).
// Runs are kept by label (CACHEDECK_BENCH_LABEL, default "main at <commit>") in docs/benchmarks/point-store-runs.json,
// so the section shows the store's shapes side by side. Run it alone (`npm run bench -- point-store`): the heap and
// the collections measured are the process's.

const root = path.join(__dirname, "..", "..");
const RUNS = path.join(root, "docs/benchmarks/point-store-runs.json");
const metrics = 18_400;
const minute = 60_000;
/** As the watcher keeps them (keepPointsMs in region-watcher.ts): three hours and ten minutes. */
const keepMs = 3 * 3600_000 + 10 * minute;
const keptMinutes = keepMs / minute;
/** Simulated minutes of reads after the cold fill, each merging every metric's last three minutes. */
const rounds = 30;
const partSize = 200;
const t0 = Date.parse("2026-12-04T09:00:00Z");


const gc = (() => {
  v8.setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

/** Wall and CPU time of `work` (the machine is shared: CPU time, the collector's helper threads included, is the steadier). */
function timed<T>(work: () => T): { value: T; wall: number; cpu: number; text: string } {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const value = work();
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const { user, system } = process.cpuUsage(cpuBefore);
  const cpu = (user + system) / 1000;
  return { value, wall, cpu, text: `${fmt(wall)} ms (CPU ${fmt(cpu)} ms)` };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function ids(): string[] {
  const stats = ["CPUUtilization|Maximum", "EngineCPUUtilization|Maximum", "DatabaseMemoryUsagePercentage|Maximum", "CurrConnections|Maximum", "ReplicationLag|Maximum", "IsMaster|Maximum"];
  return Array.from({ length: metrics }, (_, i) => {
    const [name, stat] = stats[i % stats.length].split("|");
    return `${name}|CacheClusterId=bench-${Math.floor(i / 18)}-${String(Math.floor(i / 6) % 3 + 1).padStart(3, "0")},CacheNodeId=0001|${stat}`;
  });
}

/** A metric's value at a minute: fractional, as CloudWatch's are (a double, never a small integer). */
const valueAt = (i: number, m: number) => ((i * 7919 + m * 104_729) % 10_000) / 97 + 0.013;

function points(i: number, fromMinute: number, toMinute: number) {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let m = fromMinute; m < toMinute; m++) {
    timestamps.push(t0 + m * minute);
    values.push(valueAt(i, m));
  }
  return { timestamps, values };
}

function heap() {
  gc();
  // `external` holds the typed arrays' buffers (and counts `arrayBuffers` already).
  const { heapUsed, external } = process.memoryUsage();
  return { heapUsed, offHeap: external };
}

/** Heap objects the process holds, from a heap snapshot's header (the snapshot is written to a temporary file). */
function heapObjects(): number {
  const dir = path.join(os.tmpdir(), `point-store-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const file = v8.writeHeapSnapshot(path.join(dir, "heap.heapsnapshot"));
    const head = Buffer.alloc(4096);
    const fd = openSync(file, "r");
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    return Number(/"node_count":(\d+)/.exec(head.toString("utf8"))?.[1] ?? Number.NaN);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<string> {
  const label = process.env.CACHEDECK_BENCH_LABEL ?? `main at ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim()}`;
  const figures: Figures = { machine: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; ${machineDescription()}` };
  const names = ids();
  const pauses: { major: boolean; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ major: (entry as unknown as { detail: { kind: number } }).detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR, ms: entry.duration });
  });

  const empty = heap();
  const objectsBefore = heapObjects();
  observer.observe({ entryTypes: ["gc"] });
  const store = new PointStore(keepMs);

  // As the watcher does: each read's merge is one turn of the event loop, the collector runs when it must.
  figures["cold read merged (18,400 metrics × 190 points)"] = timed(() => names.forEach((id, i) => store.merge(id, points(i, 0, keptMinutes), t0 + keptMinutes * minute))).text;
  await turn();
  const minutes: ReturnType<typeof timed>[] = [];
  for (let r = 1; r <= rounds; r++) {
    const now = keptMinutes + r;
    minutes.push(timed(() => names.forEach((id, i) => store.merge(id, points(i, now - 3, now), t0 + now * minute))));
    await turn();
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  const median = minutes.sort((x, y) => x.wall - y.wall)[rounds >> 1];
  figures["one minute's merge (3 points each, 2 revised)"] = `${median.text} median, ${fmt(minutes[rounds - 1].wall)} ms max`;
  for (const [kind, list] of [["major", pauses.filter((p) => p.major)], ["minor", pauses.filter((p) => !p.major)]] as const) {
    const longest = list.length ? Math.max(...list.map((p) => p.ms)) : 0;
    figures[`collections while filling and merging: ${kind}`] = `${list.length}, ${fmt(list.reduce((x, p) => x + p.ms, 0))} ms in all, longest ${fmt(longest)} ms`;
  }

  const full = heap();
  figures["heap held by the store (after a full collection)"] = `${mb(full.heapUsed - empty.heapUsed)} on the JS heap + ${mb(full.offHeap - empty.offHeap)} off it (typed arrays)`;
  figures["heap objects held by the store"] = (heapObjects() - objectsBefore).toLocaleString("en-US");
  figures["a full collection with the store live"] = fullCollection();

  const end = t0 + (keptMinutes + rounds) * minute;
  figures["health window cut, every metric (1 h at 2 min)"] = timed(() => names.forEach((id) => store.series(id, "Maximum", end - 3600_000, end, 2 * minute))).text;
  figures["health window cut, every metric (3 h at 5 min)"] = timed(() => names.forEach((id) => store.series(id, "Average", end - 3 * 3600_000, end, 5 * minute))).text;

  const held = store.ids();
  const encoded = Array.from({ length: Math.ceil(held.length / partSize) }, (_, i) => timed(() => store.encode(held.slice(i * partSize, (i + 1) * partSize))));
  const sizeMb = mb(encoded.reduce((x, part) => x + part.value.length, 0));
  figures["snapshot encode (92 parts of 200 metrics)"] = `${partsText(encoded)}, ${sizeMb}`;
  const decoded = encoded.map((part) => timed(() => PointStore.decode(part.value)));
  figures["snapshot decode (a follower, part by part)"] = partsText(decoded);
  const copy = new PointStore(keepMs);
  figures["snapshot load (the swap)"] = timed(() => copy.load(decoded.map((part) => part.value))).text;
  if (copy.size !== store.size) throw new Error(`the copy holds ${copy.size} metrics, not ${store.size}`);

  encoded.length = 0;
  decoded.length = 0;
  copy.load([]);
  store.retain(new Set());
  figures["a full collection with the store emptied"] = fullCollection();
  return render(saveRun(RUNS, label, figures));
}

function partsText(parts: { wall: number; cpu: number }[]): string {
  const sum = (key: "wall" | "cpu") => parts.reduce((x, part) => x + part[key], 0);
  return `${fmt(sum("wall"))} ms in all (CPU ${fmt(sum("cpu"))} ms), longest part ${fmt(Math.max(...parts.map((part) => part.wall)))} ms`;
}

/** The median of five forced full collections: what a follower's block was mostly made of (session 5). */
function fullCollection(): string {
  const runs = Array.from({ length: 5 }, () => timed(gc)).sort((x, y) => x.wall - y.wall);
  return `${runs[2].text} median of 5`;
}

function render(runs: Runs): string {
  const labels = Object.keys(runs);
  return [
    "## The watcher's point store at 18,400 metrics (lib/watcher/point-store.ts)",
    "",
    "`npm run bench -- point-store`: 18,400 health metrics (issue 12's fleet) filled with 190 one-minute points each (a",
    `cold read), then ${rounds} simulated minutes in which every metric merges its last three minutes; then the watcher's`,
    "other calls on it. Heap and collections are the bench process's (run it alone); heap objects are counted from",
    "heap snapshots. A full collection is what a follower's longest event-loop block was mostly made of in session 5;",
    "the cold read's merge is one turn of the event loop on the leader and on every follower applying its record. Wall",
    "times on this shared machine include waiting for a core: the CPU times compare the shapes.",
    "",
    ...runsTable(runs, ["machine"]),
    "",
    ...labels.map((l) => `- ${l}: ${runs[l].machine}.`),
  ].join("\n");
}
