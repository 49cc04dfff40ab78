import { randomUUID } from "node:crypto";
import { decode, encode, type JWT, type JWTDecodeParams, type JWTEncodeParams } from "next-auth/jwt";

// The session cookie's token, with an absolute lifetime. next-auth re-encodes the token with a fresh expiry on every
// session read, so a session used continuously would never end; here each token carries its own sign-in time and
// session id, its expiry is always counted from that sign-in, and a token past it (or without it) is no session.
// No database here: the proxy uses this too; revocation is checked on top of it (lib/auth/options.ts).

export interface SessionClaims {
  /** Random id of this sign-in, the key of its revocation at sign-out. */
  sid: string;
  /** When the person signed in, in seconds since the epoch. */
  authTime: number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims a new sign-in starts with. */
export function newSessionClaims(now = nowSeconds()): SessionClaims {
  return { sid: randomUUID(), authTime: now };
}

export function sessionClaims(token: JWT | null | undefined): SessionClaims | null {
  if (!token || typeof token.sid !== "string" || token.sid === "" || typeof token.authTime !== "number") return null;
  return { sid: token.sid, authTime: token.authTime };
}

/** When a session signed in at `authTime` ends, whatever happens in between. */
export function sessionEndsAt(claims: SessionClaims, maxAgeSeconds: number): Date {
  return new Date((claims.authTime + maxAgeSeconds) * 1000);
}

export interface SessionTokenCodec {
  encode(params: JWTEncodeParams): Promise<string>;
  decode(params: JWTDecodeParams): Promise<JWT | null>;
}

/** next-auth's own encryption, with the token's expiry pinned to sign-in + maxAge instead of now + maxAge. */
export function sessionTokenCodec(maxAgeSeconds: number): SessionTokenCodec {
  return {
    async encode(input) {
      const claims = sessionClaims(input.token);
      const remaining = claims ? claims.authTime + maxAgeSeconds - nowSeconds() : maxAgeSeconds;
      return encode({ ...input, maxAge: remaining });
    },
    async decode(input) {
      const token = await decode(input);
      const claims = sessionClaims(token);
      if (!claims) return null;
      const now = nowSeconds();
      // jose allows a little clock skew on `exp`; the sign-in time is ours and needs none.
      if (claims.authTime > now + 60 || now >= claims.authTime + maxAgeSeconds) return null;
      return token;
    },
  };
}

/** `name=value` and the attributes of one Set-Cookie header. */
function cookieParts(setCookie: string): { name: string; value: string; attributes: string[] } {
  const [pair, ...attributes] = setCookie.split(";");
  const eq = pair.indexOf("=");
  return { name: pair.slice(0, eq).trim(), value: decodeURIComponent(pair.slice(eq + 1).trim()), attributes: attributes.map((a) => a.trim()) };
}

/**
 * next-auth v4 re-issues the session cookie on every session read with Expires = now + maxAge, so the browser would
 * keep a cookie the server refuses after the session's absolute end. These are the same Set-Cookie headers with the
 * session cookie's (and its chunks') Expires and Max-Age pinned to sign-in + maxAge; other cookies, and the session
 * cookie being cleared, pass unchanged.
 */
export async function pinSessionCookieExpiry(setCookies: string[], cookieName: string, secret: string, maxAgeSeconds: number): Promise<string[]> {
  const chunkIndex = (name: string) => (name === cookieName ? 0 : new RegExp(`^${cookieName.replace(/[.]/g, "\\.")}\\.(\\d+)$`).exec(name)?.[1]);
  const session = setCookies.map(cookieParts).filter((c) => c.value !== "" && chunkIndex(c.name) !== undefined);
  if (session.length === 0) return setCookies;
  const token = session
    .sort((a, b) => Number(chunkIndex(a.name)) - Number(chunkIndex(b.name)))
    .map((c) => c.value)
    .join("");
  // A value that does not decrypt is no session of ours: next-auth's answer is left as it is.
  const claims = sessionClaims(await sessionTokenCodec(maxAgeSeconds).decode({ token, secret }).catch(() => null));
  if (!claims) return setCookies;
  const endsAt = sessionEndsAt(claims, maxAgeSeconds);
  const remaining = Math.max(0, Math.floor((endsAt.getTime() - Date.now()) / 1000));
  return setCookies.map((setCookie) => {
    const cookie = cookieParts(setCookie);
    if (cookie.value === "" || chunkIndex(cookie.name) === undefined) return setCookie;
    const kept = cookie.attributes.filter((a) => !/^(expires|max-age)=/i.test(a));
    return [setCookie.split(";")[0], ...kept, `Expires=${endsAt.toUTCString()}`, `Max-Age=${remaining}`].join("; ");
  });
}
