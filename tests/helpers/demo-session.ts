// Signs in as a demo user over HTTP, the way the sign-in page's button does (CSRF token, then the demo provider's
// callback), and returns the session cookie. Works against any CacheDeck server started with CACHEDECK_DEMO=1.
//   fetch(url, { headers: { cookie: session.header } })
//   browserContext.addCookies([{ name: session.name, value: session.value, url: baseUrl }])

/** A demo user by the part of its id after "demo-" (lib/auth/demo-users.ts). */
export type DemoRole = "viewer" | "operator" | "admin" | "staging-operator" | "staging-only";

export interface DemoSession {
  name: string;
  value: string;
  /** "name=value", ready for a Cookie header. */
  header: string;
  /** The Set-Cookie line the server sent, with its attributes. */
  setCookie: string;
}

function cookiesFrom(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return jar;
}

export async function demoSession(baseUrl: string, role: DemoRole): Promise<DemoSession> {
  const csrfResponse = await fetch(new URL("/api/auth/csrf", baseUrl));
  if (!csrfResponse.ok) throw new Error(`GET /api/auth/csrf answered ${csrfResponse.status}`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookies = [...cookiesFrom(csrfResponse)].map(([k, v]) => `${k}=${v}`).join("; ");

  const response = await fetch(new URL("/api/auth/callback/demo", baseUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies },
    body: new URLSearchParams({ csrfToken, user: `demo-${role}`, json: "true" }),
  });
  const session = [...cookiesFrom(response)].find(([name]) => name.endsWith("cachedeck.session"));
  if (!session) throw new Error(`demo sign-in as ${role} set no session cookie (status ${response.status}); is CACHEDECK_DEMO=1 set?`);
  const [name, value] = session;
  const setCookie = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`)) ?? "";
  return { name, value, header: `${name}=${value}`, setCookie };
}
