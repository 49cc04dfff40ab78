import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_EVENTS_PER_REGION, recordEvent } from "@/emulator/elasticache/state/events";
import { emptyRegion } from "@/emulator/elasticache/state/model";
import { pageOf } from "@/emulator/elasticache/api/paging";
import { MetadataStore, STATE_FILE, StateFileError } from "@/emulator/elasticache/state/store";
import { ApiError } from "@/emulator/server/api-error";

const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-store-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("metadata store", () => {
  it("persists each region's state and reads it back", () => {
    const dir = tempDir();
    const store = MetadataStore.open(dir);
    recordEvent(store.region("eu-west-1"), "cache-cluster", "flags", "Cache cluster created");
    store.save();
    const reopened = MetadataStore.open(dir);
    expect(reopened.regionNames()).toEqual(["eu-west-1"]);
    expect(reopened.region("eu-west-1").events.map((e) => e.message)).toEqual(["Cache cluster created"]);
    expect(fs.readdirSync(dir)).toEqual([STATE_FILE]);
  });

  it("refuses a damaged state file with a message saying what to do", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, STATE_FILE), '{"version":1,"regions":{"us-east-1":{"events":"nope"}}}');
    expect(() => MetadataStore.open(dir)).toThrow(StateFileError);
    expect(() => MetadataStore.open(dir)).toThrow(/regions\.us-east-1\..*move it away to start empty/);
    fs.writeFileSync(path.join(dir, STATE_FILE), "{trunc");
    expect(() => MetadataStore.open(dir)).toThrow(/not valid JSON/);
  });
});

describe("events", () => {
  it("numbers events and drops those older than 14 days or beyond the per-region cap", () => {
    const region = emptyRegion();
    const day = 24 * 60 * 60 * 1000;
    const start = Date.UTC(2026, 0, 1);
    recordEvent(region, "replication-group", "old", "first", new Date(start));
    recordEvent(region, "replication-group", "mid", "second", new Date(start + 10 * day));
    expect(region.events.map((e) => e.seq)).toEqual([1, 2]);
    recordEvent(region, "replication-group", "new", "third", new Date(start + 15 * day));
    expect(region.events.map((e) => e.sourceIdentifier)).toEqual(["mid", "new"]);
    for (let i = 0; i < MAX_EVENTS_PER_REGION; i++) recordEvent(region, "cache-cluster", `c${i}`, "x", new Date(start + 15 * day));
    expect(region.events).toHaveLength(MAX_EVENTS_PER_REGION);
    expect(region.events[0].sourceIdentifier).toBe("c0");
  });
});

describe("paging", () => {
  const ids = Array.from({ length: 45 }, (_, i) => `rg-${String(i).padStart(2, "0")}`);

  it("walks every item once, in order, and keeps its place when items come and go", () => {
    const first = pageOf(ids, (id) => id, 20, undefined);
    expect(first.items).toEqual(ids.slice(0, 20));
    const changed = ids.filter((id) => id !== "rg-20").concat("rg-00a");
    const second = pageOf(changed.sort(), (id) => id, 20, first.marker);
    expect(second.items[0]).toBe("rg-21");
    const third = pageOf(changed, (id) => id, 20, second.marker);
    expect(third.items).toEqual(ids.slice(41));
    expect(third.marker).toBeUndefined();
  });

  it("pages newest-first lists and refuses a marker it did not issue", () => {
    const seqs = [5, 4, 3, 2, 1].map(String);
    const page = pageOf(seqs, (s) => s, 2, undefined, "descending");
    expect(pageOf(seqs, (s) => s, 2, page.marker, "descending").items).toEqual(["3", "2"]);
    expect(() => pageOf(seqs, (s) => s, 2, "not-a-marker!", "descending")).toThrow(ApiError);
    expect(() => pageOf(seqs, (s) => s, 2, "bm90LW91cnM", "descending")).toThrow(/Invalid marker/);
  });
});
