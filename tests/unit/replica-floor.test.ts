import { describe, expect, it } from "vitest";
import type { Cache } from "@/lib/aws";
import { replicaFloorRefusal } from "@/lib/actions/replication-group";

// The replica action's pre-check mirrors AWS's InvalidParameterCombination: no shard goes to 0 replicas while
// failover needs one, and the reason is said next to the field.

// Only the fields the floor reads matter here.
const group = (settings: Partial<Cache>): Cache => ({ id: "orders", multiAz: false, automaticFailover: "disabled", clusterMode: false, ...settings }) as Cache;
const target = (counts: Record<string, number>) => new Map(Object.entries(counts));

describe("the replica floor", () => {
  it("refuses 0 replicas with Multi-AZ on, naming the emptied shards", () => {
    const refusal = replicaFloorRefusal(group({ multiAz: true, automaticFailover: "enabled", clusterMode: true }), target({ "0001": 1, "0002": 0, "0003": 0 }));
    expect(refusal?.fieldErrors.replicas).toEqual(["Multi-AZ is on for orders: every shard must keep at least 1 replica (shards 0002, 0003 would have none)."]);
    expect(refusal?.error).toMatch(/^A shard cannot go to 0 replicas here\. Multi-AZ is on for orders/);
  });

  it("refuses 0 replicas with automatic failover on in cluster mode disabled", () => {
    expect(replicaFloorRefusal(group({ automaticFailover: "enabled" }), target({ "0001": 0 }))?.fieldErrors.replicas[0]).toMatch(/^Automatic failover is on for orders/);
  });

  it("allows 0 replicas where AWS does: failover off, or cluster mode without Multi-AZ; and any count above 0", () => {
    expect(replicaFloorRefusal(group({}), target({ "0001": 0 }))).toBeNull();
    expect(replicaFloorRefusal(group({ automaticFailover: "enabled", clusterMode: true }), target({ "0001": 0 }))).toBeNull();
    expect(replicaFloorRefusal(group({ multiAz: true, automaticFailover: "enabled" }), target({ "0001": 1, "0002": 5 }))).toBeNull();
  });
});
