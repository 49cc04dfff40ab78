import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser as PlaywrightBrowser, type BrowserContext } from "playwright-core";

/** Debian's Chromium, never a downloaded browser build. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium with the same flags, for contexts of its own (`newContext()`): each has its own cookies and its
 * own six connections per host, as separate people's browsers do (one profile's tabs share six, so a seventh tab's
 * push stream waits for a free connection).
 */
export function launchForSeparateContexts(): Promise<PlaywrightBrowser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: flags });
}

/** A fresh profile per launch (its own --user-data-dir), removed on close. */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; colorScheme?: "light" | "dark" } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
