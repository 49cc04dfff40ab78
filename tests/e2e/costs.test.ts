import { expect, inject, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { demoSession } from "../helpers/demo-session";

// The admin cost page on the shared demo app: what CacheDeck itself asks of AWS, server-rendered from the process's
// own call counts and its watchers. Who may not see it is in the authorization matrix (authorization.test.ts).

const baseUrl = inject("baseUrl");
const regions = inject("regions");

async function costsPage(): Promise<string> {
  const cookie = (await demoSession(baseUrl, "admin")).header;
  const response = await fetch(new URL("/costs", baseUrl), { headers: { cookie }, redirect: "manual" });
  expect(response.status).toBe(200);
  // React marks the seams between text parts with empty comments; the figures are read as a person reads them.
  return (await response.text()).replaceAll("<!-- -->", "");
}

/** The text of the element carrying data-testid `id` (a figure on the page). */
const figure = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

it("shows an admin the calls per minute by operation, CloudWatch metrics today and their price, the budget and each watcher's schedule", async () => {
  // A fleet page starts the regions' watchers; calls per minute average whole minutes, so the first may take one.
  const cookie = (await demoSession(baseUrl, "admin")).header;
  expect((await fetch(new URL("/", baseUrl), { headers: { cookie } })).status).toBe(200);
  const html = await waitFor(
    async () => {
      const page = await costsPage();
      const warm = regions.every((region) => /running/.test(new RegExp(`<tr[^>]*data-region="${region}"[^>]*>(.*?)</tr>`, "s").exec(page)?.[1] ?? ""));
      return warm && page.includes('data-testid="calls-per-minute"') && Number(figure(page, "metrics-today")?.replaceAll(",", "")) > 0 ? page : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 2_000, description: "a whole minute of the app's AWS calls on /costs" },
  );

  // The watchers poll events and read health: both show by operation, at a rate above zero.
  const operations = [...html.matchAll(/data-operation="(\w+)"/g)].map((m) => m[1]);
  expect(operations).toEqual(expect.arrayContaining(["DescribeEvents", "GetMetricData"]));
  const metrics = Number(figure(html, "metrics-today")!.replaceAll(",", ""));
  expect(figure(html, "spent-today")).toBe(`$${((metrics / 1000) * 0.01).toFixed(2)}`);
  expect(html).toContain("at $0.01 per 1,000 metrics");
  expect(figure(html, "budget")).toBe("$40");
  expect(figure(html, "projected")).toMatch(/^\$\d/);
  for (const region of regions) {
    const row = new RegExp(`<tr[^>]*data-region="${region}"[^>]*>(.*?)</tr>`, "s").exec(html)?.[1] ?? "";
    expect(row).toContain(`default / ${region}`);
    expect(row).toMatch(/running|warming/);
    expect(row).toMatch(/metrics every/);
  }
  // The budget is the instance's: the watchers' parts of it add up to it, not to one budget per region.
  const parts = [...html.matchAll(/data-testid="watcher-budget"[^>]*>of its (?:<!-- -->)?\$([\d.,]+)/g)].map((m) => Number(m[1].replaceAll(",", "")));
  expect(parts).toHaveLength(regions.length);
  expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(40, 0);
});
