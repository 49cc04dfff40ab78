import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/schema";

// Signed-out sessions, in the database the audit log uses, so every CacheDeck instance refuses a cookie that was
// signed out on any of them. A row is kept only until the session would have ended by itself.

export interface SessionRevocations {
  isRevoked(sessionId: string): Promise<boolean>;
  /** Remembers that `sessionId` ended; `endsAt` is when its lifetime would have ended it anyway. */
  revoke(sessionId: string, endsAt: Date): Promise<void>;
}

export class RevokedSessions implements SessionRevocations {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async isRevoked(sessionId: string): Promise<boolean> {
    const row = await this.db.selectFrom("revoked_sessions").select("session_id").where("session_id", "=", sessionId).executeTakeFirst();
    return row !== undefined;
  }

  async revoke(sessionId: string, endsAt: Date): Promise<void> {
    const now = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("revoked_sessions").where("expires_at", "<", now).execute();
      await trx
        .insertInto("revoked_sessions")
        .values({ session_id: sessionId, revoked_at: now, expires_at: endsAt.toISOString() })
        .onConflict((conflict) => conflict.column("session_id").doNothing())
        .execute();
    });
  }
}
