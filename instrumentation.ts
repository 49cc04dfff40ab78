// Validates the configuration when the server starts, so a bad deployment stops at once with every problem listed
// rather than failing on the first request that needs a value, and keeps marking drills whose instance died (a previous
// process, or another instance on the same database) as interrupted, and engine upgrade probes whose instance died as
// stopped.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationOrExit } = await import("@/lib/startup-check");
    checkConfigurationOrExit();
    const { recoverAbandonedWork } = await import("@/lib/drills");
    recoverAbandonedWork();
  }
}
