import { describe, expect, it } from "vitest";
import { drainPages } from "@/lib/aws/paging";

describe("drainPages", () => {
  it("follows markers until the last page", async () => {
    const pages: Record<string, { items: number[]; next?: string }> = {
      start: { items: [1, 2], next: "a" },
      a: { items: [3], next: "b" },
      b: { items: [4] },
    };
    const tokens: (string | undefined)[] = [];
    const items = await drainPages(async (token) => {
      tokens.push(token);
      const page = pages[token ?? "start"];
      return { items: page.items, next: page.next };
    });
    expect(items).toEqual([1, 2, 3, 4]);
    expect(tokens).toEqual([undefined, "a", "b"]);
  });

  it("stops with an error when a service repeats a token instead of looping forever", async () => {
    await expect(drainPages(async () => ({ items: [1], next: "same" }))).rejects.toThrow(/returned twice/);
  });

  it("awaits `between` before each page after the first, and not after the last", async () => {
    const log: string[] = [];
    const items = await drainPages(
      async (token) => {
        log.push(`page ${token ?? "first"}`);
        return token === undefined ? { items: [1], next: "a" } : token === "a" ? { items: [2], next: "b" } : { items: [3], next: undefined };
      },
      async () => {
        log.push("wait");
        await new Promise((resolve) => setImmediate(resolve));
      },
    );
    expect(items).toEqual([1, 2, 3]);
    expect(log).toEqual(["page first", "wait", "page a", "wait", "page b"]);
  });
});
