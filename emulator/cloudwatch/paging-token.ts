import { createHash } from "node:crypto";
import { invalidNextToken } from "./errors";

// NextTokens are opaque to clients but checked here: each carries a fingerprint of the request it continues, so a
// token replayed against a different request is refused with InvalidNextToken instead of paging through nonsense.

export function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

export function encodeToken(position: string | number, requestFingerprint: string): string {
  return Buffer.from(JSON.stringify({ p: position, f: requestFingerprint })).toString("base64url");
}

export function decodeToken<T extends string | number>(token: string, requestFingerprint: string, kind: "string" | "number"): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { p?: unknown; f?: unknown };
    if (parsed.f === requestFingerprint && typeof parsed.p === kind) return parsed.p as T;
  } catch {
    // falls through to the error below
  }
  throw invalidNextToken();
}
