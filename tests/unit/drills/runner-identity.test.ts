import { spawnSync } from "node:child_process";
import os from "node:os";
import { expect, it } from "vitest";
import { runnerIsGone, thisRunner } from "@/lib/drills/runner-identity";

it("knows a runner on this host is gone when its process is, and never judges another host's", () => {
  expect(runnerIsGone(thisRunner)).toBe(false);
  const exited = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  expect(runnerIsGone(`${os.hostname()}|${exited.stdout}|abcd1234`)).toBe(true);
  expect(runnerIsGone(`${os.hostname()}|${process.pid}|someoneelse`)).toBe(true);
  expect(runnerIsGone(`${os.hostname()}|${process.ppid}|abcd1234`)).toBe(false);
  expect(runnerIsGone(`another-host|${exited.stdout}|abcd1234`)).toBe(false);
  expect(runnerIsGone("garbage")).toBe(false);
});
