import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EmulatorOptions } from "../../emulator/component";
import { startEmulator, type RunningEmulator } from "../../emulator/emulator";
import { startCountingProxy, type CountingProxy } from "../../tests/helpers/counting-proxy";
import { startApp, type RunningApp } from "../../tests/helpers/next-app";
import { launchBrowser, type Browser } from "../../tests/e2e/browser";

// What the browser benchmarks stand on: an in-process emulator with a fleet file, a counting proxy in front of it,
// `next start` pointed at the proxy, and Debian's Chromium; stopped in reverse order.

export interface AppStack {
  emulator: RunningEmulator;
  proxy: CountingProxy;
  app: RunningApp;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startAppStack(options: {
  label: string;
  fleetFile: string;
  regions: string[];
  emulator?: Partial<EmulatorOptions>;
  /** Runs once the emulator serves, before the app starts (e.g. waiting for real nodes). */
  whenEmulatorUp?: (emulator: RunningEmulator) => Promise<void>;
  inspect?: Parameters<typeof startCountingProxy>[1];
  appDir?: string;
  /** More of the app's environment (e.g. a higher live-tab limit for a many-viewer bench). */
  env?: Record<string, string>;
}): Promise<AppStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `cachedeck-bench-${options.label}-`));
  const emulator = await startEmulator({ port: 0, dataDir, fleetFile: options.fleetFile, ...options.emulator });
  await options.whenEmulatorUp?.(emulator);
  const proxy = await startCountingProxy(emulator.url, options.inspect);
  const app = await startApp({ awsEndpoint: proxy.url, regions: options.regions, appDir: options.appDir, env: options.env });
  const browser = await launchBrowser();
  return {
    emulator,
    proxy,
    app,
    browser,
    async stop() {
      await browser.close();
      await app.stop();
      await proxy.close();
      await emulator.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
