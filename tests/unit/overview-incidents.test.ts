import { describe, expect, it } from "vitest";
import { incidentMessage } from "@/lib/drills/overview";

describe("incidentMessage", () => {
  it("drops node ids but keeps a whole sentence", () => {
    expect(incidentMessage("Finished recovery for cache nodes 0001,0002")).toBe("Finished recovery for cache nodes");
    expect(incidentMessage("Recovering cache nodes 0001")).toBe("Recovering cache nodes");
    expect(incidentMessage("Test Failover API called for node group 0001")).toBe("Test Failover API called");
  });
});
