import { EnvError, getEnv } from "@/lib/env";

export function checkConfigurationOrExit(): void {
  try {
    getEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n\nSee docs/auth.md and the README for every setting.\n`);
    process.exit(1);
  }
}
