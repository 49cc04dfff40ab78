import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";

// Which targets have an operation being sent right now, kept in the database so that every app instance on it sees
// the same answer: a double submission that lands on two instances behind a load balancer is refused once, exactly
// as one that lands twice on the same instance. The table's primary key decides, not a check-then-insert.

export interface InFlightGuardOptions {
  /** Who claims (host, pid, start id), shown to nobody but kept for whoever inspects the table. */
  holder: string;
  /**
   * How long a claim lasts if its holder never releases it (the process died mid-call). Longer than the load and the
   * call can take together, so a live holder's claim never expires under it.
   */
  holdMs: number;
  now?: () => number;
}

/** Releases a claim; only the claim's own token can, so a holder whose claim expired never frees a successor's. */
export type Release = () => Promise<void>;

export class InFlightGuard {
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: InFlightGuardOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Claims `target`, or returns null when another submission holds it (on this instance or another). */
  async claim(target: string): Promise<Release | null> {
    const now = this.now();
    const token = randomUUID();
    // A claim left by a crashed holder stops counting once expired; a live one is never taken over.
    await this.db.deleteFrom("operations_in_flight").where("target", "=", target).where("expires_at", "<", now).execute();
    const inserted = await this.db
      .insertInto("operations_in_flight")
      .values({ target, token, holder: this.options.holder, claimed_at: now, expires_at: now + this.options.holdMs })
      .onConflict((conflict) => conflict.column("target").doNothing())
      .returning("token")
      .executeTakeFirst();
    if (!inserted) return null;
    return async () => {
      await this.db.deleteFrom("operations_in_flight").where("target", "=", target).where("token", "=", token).execute();
    };
  }
}
