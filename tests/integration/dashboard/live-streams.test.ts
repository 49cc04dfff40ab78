import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { awsCallTotals } from "@/lib/aws";
import { stopAllWatchers, watcherFor } from "@/lib/watcher";
import { admitStream, liveStream, maxStreamsPerUser, type LiveQuery } from "@/lib/watcher/live-stream";
import { elasticacheClient, startTestEmulator, TEST_CREDENTIALS, waitForReplicationGroup, type TestEmulator } from "../../helpers/emulator";
import { twoModesFleetFile } from "../../helpers/small-fleet";
import { at } from "../../helpers/place";

// The push streams against a real emulator: 25 open tabs (fleet and cluster pages) cost AWS what one tab does,
// because every stream reads the region's one watcher and the cluster page's one shared detail feed.

const GROUP = "streams-disabled";
let dir: string;
let emulator: TestEmulator;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-streams-"));
  emulator = await startTestEmulator({ fleetFile: twoModesFleetFile(dir, GROUP, "streams-enabled") });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
    CACHEDECK_REGIONS: "us-east-1",
    // Stream counts live in the database (this file's own SQLite file), which needs a valid configuration.
    CACHEDECK_DATA_DIR: dir,
    CACHEDECK_DEMO: "1",
  });
  await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
});

afterAll(async () => {
  stopAllWatchers();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Tab {
  messages: string[];
  close(): void;
}

function openTab(query: LiveQuery, user: string): Tab {
  const abort = new AbortController();
  const messages: string[] = [];
  const reader = liveStream(query, { id: user, role: "viewer", places: [at("us-east-1")] }, 60_000, abort.signal, () => undefined).getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      messages.push(...decoder.decode(value).split("\n\n").filter((m) => m.startsWith("event:")));
    }
  })();
  return { messages, close: () => abort.abort() };
}

/** AWS calls by operation made while `tabs` tabs stay open for `ms` (the same span for every phase). */
async function callsWhileOpen(tabs: number, ms: number): Promise<{ calls: Record<string, number>; opened: Tab[] }> {
  const before = awsCallTotals();
  const opened = Array.from({ length: tabs }, (_, i) => [
    openTab({ view: "fleet" }, `viewer-${i}`),
    openTab({ view: "clusters", account: "default", region: "us-east-1", id: GROUP, range: "15m" }, `viewer-${i}`),
  ]).flat();
  await new Promise((resolve) => setTimeout(resolve, ms));
  opened.forEach((t) => t.close());
  const after = awsCallTotals();
  const calls = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]).filter(([, n]) => (n as number) > 0));
  return { calls, opened };
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

it("25 viewers cost AWS what one viewer costs", async () => {
  expect(await watcherFor(at("us-east-1")).ready(60_000)).toBe(true);
  // A first tab starts the cluster's feed and the watcher's close watch; both phases below then see them running.
  await callsWhileOpen(1, 3_000);
  const span = 12_000;
  const one = await callsWhileOpen(1, span);
  const many = await callsWhileOpen(25, span);
  console.log(`[streams] AWS calls in ${span / 1000} s: 1 viewer ${JSON.stringify(one.calls)}, 25 viewers ${JSON.stringify(many.calls)}`);
  expect(total(one.calls)).toBeGreaterThan(0);
  // Within 10 % (and a call or two of phase: a poll or a feed read can fall either side of the span's edge).
  expect(total(many.calls)).toBeLessThanOrEqual(Math.ceil(total(one.calls) * 1.1) + 2);
  // Every cluster tab heard its page's shared feed (a 15-minute range is re-read every 10 s).
  const clusterTabs = many.opened.filter((_, i) => i % 2 === 1);
  expect(clusterTabs.every((t) => t.messages.some((m) => m.startsWith("event: hello")))).toBe(true);
  expect(clusterTabs.filter((t) => t.messages.some((m) => m.startsWith("event: detail"))).length).toBe(25);
});

it("refuses a ninth stream for one person and counts a closed one back", async () => {
  const admitted = await Promise.all(Array.from({ length: maxStreamsPerUser() }, () => admitStream("greedy")));
  expect(admitted.every(Boolean)).toBe(true);
  expect(await admitStream("greedy")).toBeNull();
  expect(await admitStream("someone-else")).not.toBeNull();
  admitted[0]!();
  await expect.poll(() => admitStream("greedy")).not.toBeNull();
});
