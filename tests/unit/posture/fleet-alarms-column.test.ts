import { describe, expect, it } from "vitest";
import { columnFiltersOf, fleetSorts } from "@/components/fleet/fleet-columns";
import { filterFleet, sortFleet } from "@/lib/data/fleet-query";
import { fleetRow } from "../../helpers/fleet-rows";

// The fleet's alarms column: "present/recommended" per cache, a filter for the caches missing some, a sort that puts
// the least covered first.

const rows = [
  { ...fleetRow("covered"), alarms: { present: 12, recommended: 12 } },
  { ...fleetRow("half"), alarms: { present: 6, recommended: 12 } },
  { ...fleetRow("bare"), alarms: { present: 0, recommended: 6 } },
  { ...fleetRow("unread"), alarms: null },
];

describe("the fleet's recommended alarms column", () => {
  it("filters the caches missing recommended alarms, and those that have them all", () => {
    expect(filterFleet(rows, {}, columnFiltersOf({ alarms: "missing recommended" })).map((r) => r.id)).toEqual(["half", "bare"]);
    expect(filterFleet(rows, {}, columnFiltersOf({ alarms: "all recommended" })).map((r) => r.id)).toEqual(["covered"]);
  });

  it("sorts the least covered first, caches not read yet last", () => {
    expect(sortFleet(rows, { sort: "alarms" }, fleetSorts).map((r) => r.id)).toEqual(["bare", "half", "covered", "unread"]);
  });
});
