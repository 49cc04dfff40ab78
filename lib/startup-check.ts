import { awsCallConfig, ConfigError, dashboardConfig, drillConfig, EnvError, getEnv } from "@/lib/env";

export function checkConfigurationOrExit(): void {
  try {
    if (getEnv().demo) {
      console.warn("[cachedeck] DEMO MODE: demo sign-ins (viewer, operator, admin) are enabled; never expose this server.");
    }
    dashboardConfig();
    drillConfig();
    awsCallConfig();
  } catch (error) {
    if (!(error instanceof EnvError) && !(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n\nSee docs/auth.md and the README for every setting.\n`);
    process.exit(1);
  }
}
