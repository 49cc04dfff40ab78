export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is being waited for, used in the timeout error ("replica 6380 to report master_link_status:up"). */
  description?: string;
}

export class WaitTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastError?: unknown,
  ) {
    super(message);
    this.name = "WaitTimeoutError";
  }
}

/**
 * Polls `condition` until it returns a truthy value (returned) or the deadline passes (throws WaitTimeoutError).
 * A condition that throws counts as "not yet": nodes refuse connections while they start, and that is expected.
 */
type Falsy = false | null | undefined | 0 | "";

export async function waitFor<T>(
  condition: () => T | Falsy | Promise<T | Falsy>,
  { timeoutMs = 10_000, intervalMs = 50, description = "condition" }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as T;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`, lastError);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(1, deadline - Date.now()))));
  }
}
