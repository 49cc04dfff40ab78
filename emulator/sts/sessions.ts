import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import path from "node:path";
import { z } from "zod";
import { rootArn, type Account, type Role } from "@/emulator/accounts";
import { ApiError } from "@/emulator/server/api-error";
import { headerValue, signingAccessKey } from "@/emulator/server/protocol";
import type { Caller } from "@/emulator/server/service";

// The STS sessions AssumeRole hands out, and who signed a request. The signature itself is never checked (the
// emulator authenticates nobody); the access key only says which account a request acts in:
// - session keys (ASIA…, as AWS's temporary keys) map to the account of the role they were issued for, and are
//   refused once expired (ExpiredToken) or when unknown or sent without their session token (InvalidClientTokenId);
// - any other key, or no signature, acts as the root user of the default (first) account.
// Sessions are saved in the data dir, so credentials a client caches stay good across an emulator restart.

export const SESSIONS_FILE = "sts-sessions.json";
/** After expiry a session is kept this long, so its key answers ExpiredToken rather than "invalid". */
const EXPIRED_KEPT_MS = 24 * 3600_000;
const SESSION_KEY_PREFIX = "ASIA";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const sessionRecord = z.object({
  secretAccessKey: z.string(),
  sessionToken: z.string(),
  account: z.string(),
  roleName: z.string(),
  sessionName: z.string(),
  expiration: z.string().datetime(),
});
type SessionRecord = z.infer<typeof sessionRecord>;
const sessionsFile = z.record(z.string(), sessionRecord);

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export const invalidClientToken = () =>
  new ApiError("InvalidClientTokenId", "The security token included in the request is invalid.", 403, "Sender", "UnrecognizedClientException");
export const expiredToken = () =>
  new ApiError("ExpiredToken", "The security token included in the request is expired", 403, "Sender", "ExpiredTokenException");

function base32(bytes: Buffer, length: number): string {
  return [...bytes].map((b) => BASE32[b % 32]).join("").slice(0, length);
}

/** A role's unique id (AROA…), stable for the same account and role as IAM's is for the role's lifetime. */
export function roleId(account: string, roleName: string): string {
  return `AROA${base32(createHash("sha256").update(`${account}:${roleName}`).digest(), 17)}`;
}

export function assumedRoleArn(account: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
}

export class StsSessions {
  private constructor(
    private readonly file: string,
    private readonly sessions: Map<string, SessionRecord>,
    readonly accounts: readonly Account[],
    private readonly now: () => Date,
  ) {}

  /** `accounts[0]` is the default account. A damaged sessions file is not fatal: its sessions are forgotten. */
  static open(dataDir: string, accounts: readonly Account[], now: () => Date, log: (message: string) => void = () => {}): StsSessions {
    const file = path.join(dataDir, SESSIONS_FILE);
    let saved: Record<string, SessionRecord> = {};
    if (fs.existsSync(file)) {
      const parsed = sessionsFile.safeParse(safeJson(fs.readFileSync(file, "utf8")));
      if (parsed.success) saved = parsed.data;
      else log(`${file} is not a sessions file; its STS sessions are forgotten (clients assume their roles again)`);
    }
    return new StsSessions(file, new Map(Object.entries(saved)), accounts, now);
  }

  /** Long-term keys and unsigned requests: the root user of the default account. */
  defaultCaller(): Caller {
    const account = this.accounts[0].id;
    return { account, arn: rootArn(account), userId: account };
  }

  account(id: string): Account | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  /** Temporary credentials for `role` of `account`, valid for `durationSeconds`. */
  issue(account: Account, role: Role, sessionName: string, durationSeconds: number): IssuedCredentials {
    const now = this.now();
    this.forgetLongExpired(now);
    const accessKeyId = SESSION_KEY_PREFIX + base32(randomBytes(16), 16);
    const record: SessionRecord = {
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: randomBytes(180).toString("base64"),
      account: account.id,
      roleName: role.name,
      sessionName,
      // Whole seconds, as STS answers.
      expiration: new Date(Math.floor(now.getTime() / 1000) * 1000 + durationSeconds * 1000).toISOString(),
    };
    this.sessions.set(accessKeyId, record);
    this.save();
    return { accessKeyId, secretAccessKey: record.secretAccessKey, sessionToken: record.sessionToken, expiration: new Date(record.expiration) };
  }

  /** Who signed the request; throws AWS's error for session credentials that are unknown, incomplete or expired. */
  identify(headers: IncomingHttpHeaders): Caller {
    const accessKey = signingAccessKey(headers);
    if (!accessKey?.startsWith(SESSION_KEY_PREFIX)) return this.defaultCaller();
    const session = this.sessions.get(accessKey);
    if (!session || !this.account(session.account) || headerValue(headers, "x-amz-security-token") !== session.sessionToken) {
      throw invalidClientToken();
    }
    if (this.now().getTime() >= Date.parse(session.expiration)) throw expiredToken();
    return {
      account: session.account,
      arn: assumedRoleArn(session.account, session.roleName, session.sessionName),
      userId: `${roleId(session.account, session.roleName)}:${session.sessionName}`,
      session: { roleName: session.roleName, sessionName: session.sessionName },
    };
  }

  private forgetLongExpired(now: Date): void {
    for (const [key, session] of this.sessions) {
      if (Date.parse(session.expiration) + EXPIRED_KEPT_MS < now.getTime()) this.sessions.delete(key);
    }
  }

  private save(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(Object.fromEntries(this.sessions)), { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
