import { EnvError, getEnv } from "@/lib/env";

/** Validates the whole configuration once at start-up: every problem of every section is listed, then the process exits. */
export function checkConfigurationOrExit(): void {
  try {
    if (getEnv().demo) {
      console.warn("[cachedeck] DEMO MODE: demo sign-ins (viewer, operator, admin) are enabled; never expose this server.");
    }
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n\nSee docs/auth.md and the README for every setting.\n`);
    process.exit(1);
  }
}
