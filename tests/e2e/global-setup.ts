import { spawnSync } from "node:child_process";
import path from "node:path";

// Builds the app once for every end-to-end test file; each file then serves the build with `next start` and the
// environment it needs (tests/helpers/next-app.ts). CACHEDECK_E2E_REUSE_BUILD=1 skips the build while iterating on
// tests alone.
export default async function setup() {
  if (process.env.CACHEDECK_E2E_REUSE_BUILD === "1") return;
  const root = path.resolve(__dirname, "../..");
  const started = Date.now();
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error(`next build failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
  console.log(`[e2e] next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
