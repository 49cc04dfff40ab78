import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { DemoRole } from "../helpers/demo-session";
import { launchBrowser, type Browser } from "./browser";

/** Signs in through the real sign-in page by clicking the demo user's button, and waits for the page it returns to. */
export async function signIn(page: Page, baseUrl: string, role: DemoRole, returnTo = "/"): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: new RegExp(`\\(${role}\\)`) }).click();
  await page.waitForURL((url) => url.pathname === returnTo.split("?")[0], { timeout: 30_000 });
}

/** A browser with one page signed in as `role` for the whole test file; read `.page` inside tests. */
export function signedInPage(baseUrl: string, role: DemoRole): { readonly page: Page } {
  let browser: Browser | undefined;
  const holder = { page: undefined as unknown as Page };
  beforeAll(async () => {
    browser = await launchBrowser();
    holder.page = await browser.context.newPage();
    await signIn(holder.page, baseUrl, role);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return holder;
}
