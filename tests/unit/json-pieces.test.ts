import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { jsonPieces } from "@/emulator/server/json-pieces";
import { jsonReplacer } from "@/emulator/server/json-protocol";
import { TimeSlice } from "@/emulator/server/time-slice";

async function collect(pieces: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const piece of pieces) all.push(piece);
  return all;
}

const at = (seconds: number) => new Date(seconds * 1000);

describe("JSON in pieces", () => {
  it("writes exactly what JSON.stringify with the awsJson replacer writes: Dates as epoch seconds, Maps as objects, undefined left out", async () => {
    const values: unknown[] = [
      {},
      { MetricDataResults: [], NextToken: undefined, Messages: [] },
      { Timestamps: [at(1_700_000_000), at(1_700_000_060.5)], Values: [1, 2.5, -0, 1e21], Label: 'quote " and \\u2028 line', Empty: null },
      { Statistics: new Map([["p99", 3], ["p50", 1]]), nested: [[1, [2, { a: undefined, b: [undefined, () => 1] }]], new Map()], when: at(0) },
      [1, "two", null, true, { three: at(3) }, [at(4)]],
      { many: Array.from({ length: 5_003 }, (_, i) => (i % 7 === 0 ? at(i) : i / 3)), objects: Array.from({ length: 3 }, (_, i) => ({ i, t: at(i) })) },
    ];
    for (const value of values) expect((await collect(jsonPieces(value))).join("")).toBe(JSON.stringify(value, jsonReplacer));
  });

  it("answers a small value in one piece, and a large one in several, handing the event loop back between them", async () => {
    expect(await collect(jsonPieces({ ReplicationGroups: [{ Id: "orders" }] }))).toHaveLength(1);
    const big = {
      MetricDataResults: Array.from({ length: 20_000 }, (_, i) => ({ Id: `q${i % 60}`, Label: `svc-${i} Requests`, Timestamps: [at(i), at(i + 60)], Values: [i, i + 1], StatusCode: "Complete", Messages: [] })),
    };
    // A turn of the event loop taken by someone else while the answer is written: it must run before the end.
    let otherTurns = 0;
    const other = (async () => {
      for (let i = 0; i < 3; i++) {
        await nextTurn();
        otherTurns++;
      }
    })();
    const pieces = await collect(jsonPieces(big, new TimeSlice(1)));
    const turnsDuring = otherTurns;
    await other;
    expect(pieces.length).toBeGreaterThan(1);
    expect(turnsDuring).toBeGreaterThan(0);
    expect(pieces.join("")).toBe(JSON.stringify(big, jsonReplacer));
  });
});
