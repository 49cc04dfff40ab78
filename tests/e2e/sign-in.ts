import type { Page } from "playwright-core";
import { findDemoUser } from "@/lib/auth/demo-users";
import type { DemoRole } from "../helpers/demo-session";

/** Signs in through the real sign-in page by clicking the demo user's button, and waits for the page it returns to. */
export async function signIn(page: Page, baseUrl: string, role: DemoRole, returnTo = "/"): Promise<void> {
  const user = findDemoUser(`demo-${role}`);
  if (!user) throw new Error(`no demo user demo-${role}`);
  await page.goto(`${baseUrl}/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: `Sign in as ${user.name}` }).click();
  await page.waitForURL((url) => url.pathname === returnTo.split("?")[0], { timeout: 30_000 });
}
