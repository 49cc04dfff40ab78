import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoRole } from "../helpers/demo-session";
import { groupStackPerFile } from "../helpers/group-stack";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./session";

// Each demo user signs in through the real sign-in page in Chromium; what each role is shown, and the audit page
// listing an operation run from the UI with its outcome.

const GROUP = "roles-cache";
const OPERATIONS_PAGE = `/clusters/us-east-1/${GROUP}/operations`;
const names: Record<Exclude<DemoRole, "staging-operator" | "staging-only">, string> = { viewer: "Vera Viewer", operator: "Omar Operator", admin: "Ada Admin" };

const stack = groupStackPerFile({ group: GROUP });
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedInPage(role: DemoRole, returnTo: string): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signIn(page, stack.app.url, role, returnTo);
  return page;
}

describe("signing in as each demo user", () => {
  for (const role of ["viewer", "operator", "admin"] as const) {
    it(`${role}: signs in through the page and is shown their name, their role and only their controls`, async () => {
      const page = await signedInPage(role, OPERATIONS_PAGE);
      await page.getByTestId("user-menu").getByText(names[role]).waitFor();
      expect(await page.getByTestId("user-role").textContent()).toBe(role);
      const controls = await page.getByTestId("operations-panel").count();
      const buttons = await page.getByRole("button", { name: /test failover|node type|replicas|reshard/i }).count();
      if (role === "viewer") {
        expect(controls).toBe(0);
        expect(buttons).toBe(0);
        await page.getByText("can look but not change").waitFor();
      } else {
        expect(controls).toBe(1);
        expect(await page.getByTestId("operation-node-type").count()).toBe(role === "admin" ? 1 : 0);
      }
      await page.goto(`${stack.app.url}/clusters/us-east-1/${GROUP}`);
      await page.getByRole("heading", { name: GROUP, level: 1 }).waitFor();
      expect(await page.getByTestId("operations-link").count()).toBe(role === "viewer" ? 0 : 1);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL((url) => url.pathname === "/sign-in");
      await page.close();
    });
  }

  it("viewer: the audit page refuses", async () => {
    const page = await signedInPage("viewer", "/audit");
    await page.getByText("cannot read the audit log").waitFor();
    expect(await page.getByTestId("audit-table").count()).toBe(0);
    await page.close();
  });
});

describe("an operation run from the UI is on the audit page with its outcome", () => {
  it("operator: confirms by typing the group id, sees the outcome next to the action, then finds it in the audit log", async () => {
    const page = await signedInPage("operator", OPERATIONS_PAGE);
    const section = page.getByTestId("operation-test-failover");
    await section.locator("form[data-ready=true]").waitFor();
    const submit = section.getByRole("button", { name: "Start test failover" });
    expect(await submit.isDisabled()).toBe(true);
    await section.getByRole("textbox").fill("roles-cach");
    expect(await submit.isDisabled()).toBe(true);
    await section.getByRole("textbox").fill(GROUP);
    await submit.click();
    // AWS accepting the change takes the person to the cluster page to follow it; a refusal stays next to the action.
    const alert = section.getByRole("alert");
    await Promise.race([page.waitForURL((url) => url.pathname === `/clusters/us-east-1/${GROUP}`, { timeout: 60_000 }), alert.waitFor({ timeout: 60_000 })]);
    const succeeded = new URL(page.url()).pathname === `/clusters/us-east-1/${GROUP}`;
    const message = succeeded ? "" : ((await alert.textContent()) ?? "");

    await page.goto(`${stack.app.url}/audit`);
    const row = page.getByTestId("audit-row").first();
    expect(await row.textContent()).toContain("cluster.test-failover");
    expect(await row.textContent()).toContain(`${GROUP}/0001`);
    expect(await row.getByTestId("audit-status").textContent()).toBe(succeeded ? "succeeded" : "failed");
    if (!succeeded) expect(await row.textContent()).toContain(message);
    await page.close();
  });

  it("admin: sees the operator's record; filtering by another outcome hides it", async () => {
    const page = await signedInPage("admin", "/audit");
    expect(await page.getByTestId("audit-row").count()).toBe(1);
    expect(await page.getByTestId("audit-row").first().textContent()).toContain("Omar Operator");
    await page.goto(`${stack.app.url}/audit?status=unfinished`);
    await page.getByText("No operations match these filters.").waitFor();
    await page.close();
  });
});
