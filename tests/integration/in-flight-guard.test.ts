import { describe, expect, it } from "vitest";
import { InFlightGuard } from "@/lib/actions/in-flight-guard";
import type { OpenDatabase } from "@/lib/db/database";
import { testDatabases, twoInstancesOf, type TestDatabase } from "../helpers/both-databases";

// The operations' in-flight guard, shared through the database by every app instance, on both databases. Two guards
// over one database are two instances; each has its own connection where the database allows (Postgres).

function guardContract(name: string, start: () => Promise<TestDatabase>) {
  describe(`in-flight guard on ${name}`, () => {
    const instances = twoInstancesOf(start);
    let now = 1_000_000;
    const clock = () => now;


    const instance = (db: OpenDatabase, holder: string) => new InFlightGuard(db.db, { holder, holdMs: 60_000, now: clock });

    it("grants a target to exactly one of many simultaneous claims across instances, and again once released", async () => {
      const a = instance(instances.first, "a");
      const b = instance(instances.second, "b");
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim("us-east-1/orders")));
      const granted = claims.filter((c) => c !== null);
      expect(granted).toHaveLength(1);
      expect(await b.claim("us-east-1/orders")).toBeNull();
      expect(await a.claim("us-east-1/sessions")).not.toBeNull();
      await granted[0]!();
      const again = await b.claim("us-east-1/orders");
      expect(again).not.toBeNull();
      await again!();
    });

    it("lets a crashed holder's claim expire, and the late holder's release never frees its successor's claim", async () => {
      const crashed = instance(instances.first, "crashed");
      const survivor = instance(instances.second, "survivor");
      const stale = await crashed.claim("us-east-1/payments");
      now += 59_000;
      expect(await survivor.claim("us-east-1/payments")).toBeNull();
      now += 2_000;
      const taken = await survivor.claim("us-east-1/payments");
      expect(taken).not.toBeNull();
      await stale!();
      expect(await crashed.claim("us-east-1/payments")).toBeNull();
      await taken!();
      expect(await crashed.claim("us-east-1/payments")).not.toBeNull();
    });
  });
}

for (const [name, start] of testDatabases) guardContract(name, start);
