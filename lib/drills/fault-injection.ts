import "server-only";

// The emulator's fault-injection endpoint (not part of any AWS API), used by AZ power interruption drills. Only
// reachable when CACHEDECK_EMULATOR_URL is configured; on AWS the equivalent is an AWS Fault Injection Service
// experiment with aws:elasticache:replicationgroup-interrupt-az-power.

export const FAULTS_PATH = "/_emulator/faults";

export interface AzPowerInterruption {
  id: string;
  availabilityZone: string;
  durationSeconds: number;
  startedAt: string;
  endsAt: string;
  affectedNodes: { replicationGroupId: string; cacheClusterId: string; cacheNodeId: string; role: "primary" | "replica" }[];
}

/** The emulator refused or could not be reached; the message says which and why. */
export class FaultInjectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultInjectionError";
  }
}

export async function interruptAzPower(
  emulatorUrl: string,
  request: { region: string; availabilityZone: string; durationSeconds: number; replicationGroupId: string },
  signal?: AbortSignal,
): Promise<AzPowerInterruption> {
  let response: Response;
  try {
    response = await fetch(`${emulatorUrl}${FAULTS_PATH}/interrupt-az-power`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        region: request.region,
        availabilityZone: request.availabilityZone,
        durationSeconds: request.durationSeconds,
        replicationGroupIds: [request.replicationGroupId],
      }),
      signal: signal ?? AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new FaultInjectionError(`Could not reach the emulator's fault endpoint at ${emulatorUrl} (${(error as Error).message}). Is the emulator running, and is CACHEDECK_EMULATOR_URL right?`);
  }
  const body = (await response.json().catch(() => ({}))) as { fault?: AzPowerInterruption; error?: { message?: string } };
  if (!response.ok || !body.fault) {
    throw new FaultInjectionError(`The emulator refused the AZ power interruption: ${body.error?.message ?? `HTTP ${response.status}`}`);
  }
  return body.fault;
}
