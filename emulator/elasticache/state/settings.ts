// Tunables of the control plane that an operator (flags / environment, see emulator/main.ts) or a test may change.

export interface ControlPlaneSettings {
  /**
   * Real time per unit of AWS time for the paced phases of failovers and scaling (see ./pacing.ts): 1 replays AWS's
   * typical durations, 0.01 (the default) turns AWS's ten-minute node recovery into six seconds, 0 runs every phase as
   * fast as the processes allow.
   */
  timeScale: number;
  /** TestFailover's quota: shards per rolling 24 hours for the (one) emulated account. AWS says 15 (older docs 5). */
  testFailoverShardsPer24Hours: number;
  /** Cache nodes per region (AWS's default quota is 300; a scale fleet file raises it, as a quota increase would). */
  nodeQuotaPerRegion: number;
  /** The clock quotas count with; tests move it instead of waiting a day. */
  now: () => Date;
}

export const DEFAULT_TIME_SCALE = 0.01;
export const DEFAULT_TEST_FAILOVER_QUOTA = 15;
export const DEFAULT_NODE_QUOTA_PER_REGION = 300;

export const DEFAULT_SETTINGS: ControlPlaneSettings = {
  timeScale: DEFAULT_TIME_SCALE,
  testFailoverShardsPer24Hours: DEFAULT_TEST_FAILOVER_QUOTA,
  nodeQuotaPerRegion: DEFAULT_NODE_QUOTA_PER_REGION,
  now: () => new Date(),
};
