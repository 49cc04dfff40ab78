import { describe, expect, it } from "vitest";
import { demoSession } from "../helpers/demo-session";
import { groupStackPerFile } from "../helpers/group-stack";
import { serverActionId } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";

// The test failover quota is checked before the call, from CacheDeck's audit records and the region's events: with a
// quota of one shard per 24 hours, the second shard's failover is refused without calling TestFailover.

const GROUP = "quota-cache";
const stack = groupStackPerFile({
  group: GROUP,
  fleet: { NumCacheClusters: undefined, NumNodeGroups: 2, ReplicasPerNodeGroup: 1 },
  appEnv: () => ({ CACHEDECK_FAILOVER_QUOTA_PER_DAY: "1" }),
});

describe("test failover quota", () => {
  it("refuses a failover once the rolling 24-hour quota is used, before calling AWS", async () => {
    const operator = (await demoSession(stack.app.url, "operator")).header;
    const failover = (nodeGroupId: string) =>
      postServerAction(
        stack.app.url,
        `/clusters/us-east-1/${GROUP}/operations`,
        serverActionId("lib/actions/test-failover.ts", "testFailover"),
        [{ account: "default", region: "us-east-1", replicationGroupId: GROUP, nodeGroupId, confirmation: GROUP }],
        operator,
      );
    expect((await failover("0001")).result).toMatchObject({ ok: true });

    stack.proxy.reset();
    expect((await failover("0002")).result).toEqual({
      ok: false,
      error: "The test failover quota of us-east-1 is used up: 1 of 1 shards in the rolling 24 hours. Try again once the oldest falls out of the window.",
    });
    expect(stack.proxy.operations).not.toContain("TestFailover");
  });
});
