import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startCountingProxy, type CountingProxy } from "./counting-proxy";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "./emulator";
import { startApp, type RunningApp } from "./next-app";
import { smallFleetFile } from "./small-fleet";

// What most end-to-end tests of operations need, started once per test file: a temp dir, an emulator with one small
// replication group (available before the tests run), a counting proxy in front of it, and the built app pointed at
// the proxy. Read the fields inside tests; everything is stopped and removed after the file.

export interface GroupStack {
  dir: string;
  emulator: TestEmulator;
  proxy: CountingProxy;
  /** Absent with `serve: false` (tests that start and kill the app themselves). */
  app: RunningApp;
}

export interface GroupStackOptions {
  group: string;
  /** CreateReplicationGroup parameters replacing the small default (see small-fleet.ts). */
  fleet?: Record<string, unknown>;
  /** Extra environment for the app, read when it starts (after the file's earlier beforeAll hooks). */
  appEnv?: () => Record<string, string>;
  serve?: boolean;
}

export function groupStackPerFile(options: GroupStackOptions): GroupStack {
  const stack = {} as GroupStack;
  beforeAll(async () => {
    stack.dir = mkdtempSync(path.join(os.tmpdir(), `cachedeck-${options.group}-`));
    stack.emulator = await startTestEmulator({ fleetFile: smallFleetFile(stack.dir, options.group, options.fleet) });
    stack.proxy = await startCountingProxy(stack.emulator.url);
    if (options.serve !== false) stack.app = await startApp({ awsEndpoint: stack.proxy.url, env: options.appEnv?.() });
    await waitForReplicationGroup(elasticacheClient(stack.emulator.url), options.group);
  });
  afterAll(async () => {
    await stack.app?.stop();
    await stack.proxy?.close();
    await stack.emulator?.dispose();
    if (stack.dir) rmSync(stack.dir, { recursive: true, force: true });
  });
  return stack;
}
