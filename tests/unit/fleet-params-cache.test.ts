import { describe, expect, it } from "vitest";
import { cacheFor } from "@/components/fleet/use-fleet-params";

// The fleet page's params store hands its readers the same object while the address bar's query means the same:
// React re-renders every reader of a useSyncExternalStore whose snapshot changes identity, and right after hydration
// (the server's params against the address bar's) that was the whole 1,100-row table rendered twice in one task.
describe("the fleet params store's cache", () => {
  const server = { engine: "redis", sort: "name" };

  it("keeps the server's params object when the address bar holds the same query, in any order, empty fields aside", () => {
    expect(cacheFor({ search: "\0", params: server }, "?sort=name&engine=redis").params).toBe(server);
    expect(cacheFor({ search: "\0", params: server }, "?engine=redis&q=&sort=name").params).toBe(server);
    const none = {};
    expect(cacheFor({ search: "\0", params: none }, "").params).toBe(none);
  });

  it("is unchanged for the same query, and a new object with the new params when the query changes", () => {
    const cached = { search: "?sort=name&engine=redis", params: server };
    expect(cacheFor(cached, "?sort=name&engine=redis")).toBe(cached);
    const next = cacheFor(cached, "?sort=health&engine=redis");
    expect(next.params).toEqual({ sort: "health", engine: "redis" });
    expect(next.params).not.toBe(server);
    expect(cacheFor(cached, "?sort=name").params).toEqual({ sort: "name" });
  });

  it("drops params named after Object's members, as the server's params do (Next's object has no __proto__ key)", () => {
    const params = cacheFor({ search: "\0", params: {} }, "?__proto__=x&constructor=y&toString=z&sort=name").params;
    expect(Object.keys(params)).toEqual(["sort"]);
  });
});
