import fs from "node:fs";
import path from "node:path";
import { DescribeEventsCommand } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watcherConfig } from "@/lib/env";
import { RegionWatcher } from "@/lib/watcher/region-watcher";
import { tagPageGapMs } from "@/lib/watcher/schedule";
import { waitFor } from "@/emulator/nodes/wait-for";
import { startCountingProxy, type CountingProxy } from "../../helpers/counting-proxy";
import { elasticacheClient, startTestEmulator, tempDataDir, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { at } from "../../helpers/place";

// The watcher's own calls on a region of a few hundred simulated caches (scale mode), counted by a proxy in front
// of the emulator: a cold start costs a constant few calls whatever the region's event history, and a tags refresh
// reads its GetResources pages one at a time, spread over its period, never in a burst.

const FLEET = {
  nodes: "simulated",
  nodeQuotaPerRegion: 2000,
  generate: { seed: 12, regions: ["us-east-1"], replicationGroups: 150, largeReplicationGroups: 0, memcachedClusters: 20 },
};
/** Short enough to watch a whole round here; the app's is 15 minutes. */
const TAGS_EVERY_MS = 20_000;

let dir: string;
let emulator: TestEmulator;
let proxy: CountingProxy;
const calls: { operation: string; at: number }[] = [];
let watcher: RegionWatcher;

beforeAll(async () => {
  dir = tempDataDir("watcher-scale");
  const file = path.join(dir, "fleet.json");
  fs.writeFileSync(file, JSON.stringify(FLEET));
  emulator = await startTestEmulator({ fleetFile: file, settings: { timeScale: 0 }, workload: false });
  proxy = await startCountingProxy(emulator.url, (operation) => calls.push({ operation, at: Date.now() }));
  pointAwsSdkAt(proxy.url);
}, 60_000);

afterAll(async () => {
  watcher?.stop();
  await proxy?.close();
  await emulator?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = (operation: string, list = calls) => list.filter((c) => c.operation === operation).length;

describe("the watcher's calls on a large region", () => {
  it("starts cold with one DescribeEvents however many events the last hour holds", async () => {
    // The fleet's creation is the last hour's history: more than one page of events, which cold start used to page through.
    const newest = await elasticacheClient(emulator.url).send(new DescribeEventsCommand({ StartTime: new Date(Date.now() - 3600_000), MaxRecords: 100 }));
    expect(newest.Marker).toBeTruthy();

    calls.length = 0;
    watcher = new RegionWatcher(at("us-east-1"), { ...watcherConfig(), eventPollMs: 1_000 }, Date.now(), { tagsEveryMs: TAGS_EVERY_MS });
    expect(await watcher.ready(60_000)).toBe(true);
    const warmUp = [...calls];
    expect(watcher.status(0).caches).toBe(170);
    expect(count("DescribeEvents", warmUp)).toBe(1);
    // The rest is the region's paged describes, tags and metric batches, which grow with the fleet, not its history.
    expect(warmUp.length).toBeLessThan(60);
    // The polls after it start where the first one ended, not an hour back: one call each.
    const warmEnd = calls.length;
    await waitFor(async () => count("DescribeEvents", calls.slice(warmEnd)) >= 3 || undefined, { timeoutMs: 15_000, intervalMs: 100, description: "three event polls" });
    const polls = calls.slice(warmEnd).filter((c) => c.operation === "DescribeEvents");
    expect(polls.length).toBeLessThanOrEqual(4);
  }, 90_000);

  it("reads a tags refresh one page at a time, spread over the period, and applies the round whole", async () => {
    const firstRound = watcher.status(0).last.tags!;
    const pages = count("GetResources");
    expect(pages).toBeGreaterThanOrEqual(5);
    const started = calls.length;
    const round = await waitFor(async () => ((watcher.status(0).last.tags ?? 0) > firstRound ? calls.slice(started).filter((c) => c.operation === "GetResources") : undefined), {
      timeoutMs: 45_000,
      intervalMs: 100,
      description: "the next tags round to complete",
    });
    expect(round).toHaveLength(pages);
    const gaps = round.slice(1).map((c, i) => c.at - round[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(tagPageGapMs(TAGS_EVERY_MS, pages));
    // The round's tags are the region's: a generated cache keeps its tags.
    const tagged = watcher.summaries(null).filter((s) => Object.keys(s.tags).length > 0);
    expect(tagged.length).toBeGreaterThan(100);
  }, 90_000);

  it("runs the safety-net describe once a period, not again right after a paced one", async () => {
    watcher?.stop();
    // A paced whole-region describe of this region (7 pages, 2 s apart) takes about 8 s; the ticks meanwhile (every
    // second) used to find the timer still due and run it again as soon as it ended.
    const period = 30_000;
    const timed = new RegionWatcher(at("us-east-1"), { ...watcherConfig(), eventPollMs: 1_000 }, Date.now(), { describeEveryMs: period });
    try {
      expect(await timed.ready(60_000)).toBe(true);
      const from = calls.length;
      // DescribeServerlessCaches is sent once per whole-region describe (and by nothing else here).
      const starts = await waitFor(async () => {
        const whole = calls.slice(from).filter((c) => c.operation === "DescribeServerlessCaches");
        return whole.length >= 2 ? whole.map((c) => c.at) : undefined;
      }, { timeoutMs: 4 * period, intervalMs: 200, description: "two timer describes" });
      expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(period / 2);
    } finally {
      timed.stop();
    }
  }, 180_000);
});
