import { describe, expect, it } from "vitest";
import { planRebalance } from "@/emulator/nodes/cluster-resharding";
import { evenSlotRanges } from "@/emulator/nodes/redis-cluster";

const range = (start: number, end: number) => Array.from({ length: end - start + 1 }, (_, i) => start + i);

function apply(ownership: Array<{ port: number; slots: number[] }>, moves: ReturnType<typeof planRebalance>) {
  const owned = new Map(ownership.map((o) => [o.port, new Set(o.slots)]));
  for (const move of moves) {
    for (const slot of move.slots) {
      expect(owned.get(move.sourcePort)?.delete(slot)).toBe(true);
      if (!owned.has(move.targetPort)) owned.set(move.targetPort, new Set());
      owned.get(move.targetPort)?.add(slot);
    }
  }
  return new Map([...owned].map(([port, slots]) => [port, slots.size]));
}

describe("planRebalance", () => {
  const three = evenSlotRanges(3).map((r, i) => ({ port: 7000 + i, slots: range(r.start, r.end) }));

  it("gives a new empty primary an even share taken from every other primary", () => {
    const moves = planRebalance(three, [7000, 7001, 7002, 7003]);
    expect(apply(three, moves)).toEqual(new Map([[7000, 4096], [7001, 4096], [7002, 4096], [7003, 4096]]));
    expect(moves.every((m) => m.targetPort === 7003)).toBe(true);
    expect(moves.reduce((sum, m) => sum + m.slots.length, 0)).toBe(4096);
    // Donors give their highest slots, so what stays is contiguous.
    expect(moves.find((m) => m.sourcePort === 7000)?.slots).toEqual(range(4096, 5460));
  });

  it("drains a primary that is left out onto the others", () => {
    const moves = planRebalance(three, [7000, 7002]);
    const after = apply(three, moves);
    expect(after.get(7001)).toBe(0);
    expect([after.get(7000), after.get(7002)].sort()).toEqual([8192, 8192]);
    expect(moves.every((m) => m.sourcePort === 7001)).toBe(true);
  });

  it("plans nothing for a balanced cluster and refuses an empty target list", () => {
    expect(planRebalance(three, [7000, 7001, 7002])).toEqual([]);
    expect(() => planRebalance(three, [])).toThrow(/at least one primary/);
  });
});
