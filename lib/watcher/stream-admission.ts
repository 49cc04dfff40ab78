import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";

// How many push streams one person has open, counted in the database so that the limit holds across every app
// instance behind the load balancer (a runaway script spreading its connections over instances gets no more). Each
// open stream is a row; a stream ends within its lifetime, so a row left by an instance that crashed stops counting
// once it expires.

export interface StreamAdmissionOptions {
  /** Streams one person may have open at once. */
  limit: number;
  /** How long a row counts if its stream never says it ended: longer than any stream lives. */
  holdMs: number;
  now?: () => number;
}

export class StreamAdmission {
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: StreamAdmissionOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Counts a new stream against `userId`, or returns null when they already have the most allowed. */
  async admit(userId: string): Promise<(() => Promise<void>) | null> {
    const now = this.now();
    await this.db.deleteFrom("live_streams").where("user_id", "=", userId).where("expires_at", "<", now).execute();
    // Insert, then count the streams inserted before this one: of two admissions racing at the limit on two
    // instances, the later insert sees the earlier and only the earlier is let in. (Postgres hands out ids a moment
    // before commit, so two inserts in the same instant can, rarely, each miss the other: one over the limit at most.)
    const { id } = await this.db
      .insertInto("live_streams")
      .values({ user_id: userId, opened_at: now, expires_at: now + this.options.holdMs })
      .returning("id")
      .executeTakeFirstOrThrow();
    const release = async () => {
      await this.db.deleteFrom("live_streams").where("id", "=", id).execute();
    };
    const { open } = await this.db
      .selectFrom("live_streams")
      .select((eb) => eb.fn.countAll<string | number>().as("open"))
      .where("user_id", "=", userId)
      .where("expires_at", ">=", now)
      .where("id", "<", id)
      .executeTakeFirstOrThrow();
    if (Number(open) >= this.options.limit) {
      await release();
      return null;
    }
    return release;
  }
}
