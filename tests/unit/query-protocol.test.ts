import { describe, expect, it } from "vitest";
import { parseQueryParams } from "@/emulator/server/query-protocol";
import { renderXmlValue, xmlEscape } from "@/emulator/server/xml";

describe("awsQuery request parsing", () => {
  it("turns item-named lists into arrays ordered by index", () => {
    const input = parseQueryParams(
      new URLSearchParams(
        "Action=ModifyReplicationGroupShardConfiguration&Version=2015-02-02&NodeGroupCount=4" +
          "&ReshardingConfiguration.ReshardingConfiguration.2.NodeGroupId=0002" +
          "&ReshardingConfiguration.ReshardingConfiguration.1.NodeGroupId=0001" +
          "&ReshardingConfiguration.ReshardingConfiguration.1.PreferredAvailabilityZones.AvailabilityZone.1=us-east-1a" +
          "&NodeGroupsToRemove.NodeGroupToRemove.1=0003&ReplicasToRemove=",
      ),
    );
    expect(input).toEqual({
      NodeGroupCount: "4",
      ReshardingConfiguration: [{ NodeGroupId: "0001", PreferredAvailabilityZones: ["us-east-1a"] }, { NodeGroupId: "0002" }],
      NodeGroupsToRemove: ["0003"],
      ReplicasToRemove: "",
    });
  });

  it("reads nested member lists such as metric dimensions", () => {
    const input = parseQueryParams(
      new URLSearchParams(
        "MetricDataQueries.member.1.Id=m1&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=CacheClusterId" +
          "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=orders-001",
      ),
    );
    expect(input).toEqual({
      MetricDataQueries: [{ Id: "m1", MetricStat: { Metric: { Dimensions: [{ Name: "CacheClusterId", Value: "orders-001" }] } } }],
    });
  });

  it("keeps a parameter named __proto__ an ordinary key instead of writing to Object.prototype", () => {
    const input = parseQueryParams(new URLSearchParams("__proto__.CacheClusterId=polluted&A.__proto__.B=x"));
    expect(({} as Record<string, unknown>).CacheClusterId).toBeUndefined();
    expect(Object.hasOwn(input, "__proto__")).toBe(true);
    expect((input.A as Record<string, unknown>).B).toBeUndefined();
  });
});

describe("XML rendering", () => {
  it("names list items per member, escapes text and leaves out missing members", () => {
    const xml = renderXmlValue(
      { ReplicationGroups: [{ ReplicationGroupId: "a<b", MemberClusters: ["x-001"], Missing: undefined }], Marker: null },
      { ReplicationGroups: "ReplicationGroup", MemberClusters: "ClusterId" },
    );
    expect(xml).toBe(
      "<ReplicationGroups><ReplicationGroup><ReplicationGroupId>a&lt;b</ReplicationGroupId>" +
        "<MemberClusters><ClusterId>x-001</ClusterId></MemberClusters></ReplicationGroup></ReplicationGroups>",
    );
  });

  it("never writes a character XML cannot carry, and keeps a carriage return", () => {
    expect(xmlEscape("a\u0001b\rc\uD800d\u{1F680}")).toBe("a\uFFFDb&#13;c\uFFFDd\u{1F680}");
  });

  it("renders dates as ISO 8601 UTC", () => {
    expect(renderXmlValue({ T: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) }, {})).toBe("<T>2024-01-02T03:04:05.678Z</T>");
  });
});
