import { describe, expect, it } from "vitest";
import { currentActionName, recordedActionNames } from "@/lib/audit/action-names";

describe("audit action names", () => {
  it("reads old drill names under the current ones, and filters by either", () => {
    expect(currentActionName("drill.start")).toBe("cluster.start-drill");
    expect(recordedActionNames("cluster.abort-drill")).toEqual(["cluster.abort-drill", "drill.abort"]);
    expect(recordedActionNames("drill.start")).toEqual(["cluster.start-drill", "drill.start"]);
    expect(recordedActionNames("cluster.test-failover")).toEqual(["cluster.test-failover"]);
  });

  it("treats Object.prototype names from a URL as plain unknown names", () => {
    for (const key of ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"]) {
      expect(currentActionName(key)).toBe(key);
      expect(recordedActionNames(key)).toEqual([key]);
    }
  });
});
