import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { fault } from "./errors";

export const QUOTA_FILE = "test-failover-calls.json";
const WINDOW_MS = 24 * 60 * 60 * 1000;

const callsFile = z.object({
  calls: z.array(z.object({ at: z.string().datetime(), region: z.string(), replicationGroupId: z.string(), nodeGroupId: z.string() })),
});
type Call = z.infer<typeof callsFile>["calls"][number];

/**
 * TestFailover's quota: at most `limit` shards tested per rolling 24 hours for the account (the emulator has one,
 * across its regions). Kept in its own file in the data dir, so restarting the emulator does not hand out a new day.
 */
export class TestFailoverQuota {
  private calls: Call[];

  constructor(
    private readonly dataDir: string,
    private readonly limit: () => number,
    private readonly now: () => Date,
  ) {
    this.calls = this.load();
  }

  private get file(): string {
    return path.join(this.dataDir, QUOTA_FILE);
  }

  private load(): Call[] {
    if (!fs.existsSync(this.file)) return [];
    const damaged = () => new Error(`${this.file} is not a TestFailover quota file; move it away to start the count again`);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch {
      throw damaged();
    }
    const parsed = callsFile.safeParse(raw);
    if (!parsed.success) throw damaged();
    return parsed.data.calls;
  }

  /** Counts one more shard, or refuses with AWS's APICallRateForCustomerExceeded when the window is full. */
  consume(region: string, replicationGroupId: string, nodeGroupId: string): void {
    const now = this.now();
    const windowStart = new Date(now.getTime() - WINDOW_MS).toISOString();
    this.calls = this.calls.filter((c) => c.at > windowStart);
    const limit = this.limit();
    if (this.calls.length >= limit) {
      const nextFree = new Date(new Date(this.calls[0].at).getTime() + WINDOW_MS).toISOString();
      throw fault(
        "APICallRateForCustomerExceededFault",
        `TestFailover has been called for ${this.calls.length} node groups in the last 24 hours; the limit is ${limit}. ` +
          `The next call is allowed after ${nextFree}.`,
      );
    }
    this.calls.push({ at: now.toISOString(), region, replicationGroupId, nodeGroupId });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ calls: this.calls }));
    fs.renameSync(temp, this.file);
  }
}
