import { describe, expect, it } from "vitest";
import type { OpenDatabase } from "@/lib/db/database";
import { StreamAdmission } from "@/lib/watcher/stream-admission";
import { testDatabases, twoInstancesOf, type TestDatabase } from "../helpers/both-databases";

// The per-person limit of live push streams, counted in the database so that it holds across app instances, on both
// databases. Two admissions over two connections are two instances.

function admissionContract(name: string, start: () => Promise<TestDatabase>) {
  describe(`stream admission on ${name}`, () => {
    const instances = twoInstancesOf(start);
    let now = 5_000_000;


    const instance = (db: OpenDatabase) => new StreamAdmission(db.db, { limit: 8, holdMs: 150_000, now: () => now });

    it("holds one person to eight streams spread over two instances, and counts a closed one back", async () => {
      const [a, b] = [instance(instances.first), instance(instances.second)];
      const admitted = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).admit("greedy")));
      expect(admitted.filter(Boolean)).toHaveLength(8);
      expect(await a.admit("greedy")).toBeNull();
      expect(await b.admit("someone-else")).not.toBeNull();
      await admitted.find(Boolean)!();
      expect(await b.admit("greedy")).not.toBeNull();
      expect(await a.admit("greedy")).toBeNull();
    });

    it("stops counting the streams of an instance that crashed once they expire", async () => {
      const crashed = instance(instances.first);
      for (let i = 0; i < 8; i++) expect(await crashed.admit("left-behind")).not.toBeNull();
      const survivor = instance(instances.second);
      expect(await survivor.admit("left-behind")).toBeNull();
      now += 150_001;
      expect(await survivor.admit("left-behind")).not.toBeNull();
    });
  });
}

for (const [name, start] of testDatabases) admissionContract(name, start);
