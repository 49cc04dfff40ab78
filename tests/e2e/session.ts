import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { DemoRole } from "../helpers/demo-session";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

export { signIn } from "./sign-in";

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
