import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll } from "vitest";
import type { EmulatorOptions } from "@/emulator/component";
import { elasticacheClient, startTestEmulator, type TestEmulator } from "./emulator";

/**
 * One in-process emulator for a whole test file: started before its tests and disposed after them. Read `.emulator`
 * and `.client` inside the tests (they are set once beforeAll has run).
 */
export function emulatorForFile(options: Partial<EmulatorOptions> = {}): { emulator: TestEmulator; client: ElastiCacheClient } {
  const context = {} as { emulator: TestEmulator; client: ElastiCacheClient };
  beforeAll(async () => {
    context.emulator = await startTestEmulator(options);
    context.client = elasticacheClient(context.emulator.url);
  });
  afterAll(() => context.emulator?.dispose());
  return context;
}
