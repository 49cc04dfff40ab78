import type { Page } from "playwright-core";
import type { DemoRole } from "../helpers/demo-session";

/** Signs in through the real sign-in page by clicking the demo user's button, and waits for the page it returns to. */
export async function signIn(page: Page, baseUrl: string, role: DemoRole, returnTo = "/"): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: new RegExp(`\\(${role}\\)`) }).click();
  await page.waitForURL((url) => url.pathname === returnTo.split("?")[0], { timeout: 30_000 });
}
