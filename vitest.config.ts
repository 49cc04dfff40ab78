import path from "node:path";
import { defineConfig } from "vitest/config";

// One runner for every layer, so `npm test` reports one total. Integration and e2e tests start real processes
// (the emulator, redis-server, memcached, Next, Chromium); they run in forked workers, two at a time on small machines.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname), "server-only": path.resolve(__dirname, "tests/helpers/server-only-stub.ts") } },
  test: {
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts?(x)"], testTimeout: 10_000 } },
      { extends: true, test: { name: "integration", include: ["tests/integration/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 } },
      { extends: true, test: { name: "e2e", include: ["tests/e2e/**/*.test.ts"], testTimeout: 180_000, hookTimeout: 300_000, globalSetup: ["tests/e2e/global-setup.ts"] } },
    ],
  },
});
