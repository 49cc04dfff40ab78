// Where CacheDeck may send a browser after sign-in (or sign-out): a path on its own origin and nothing else.
// Browsers read `//host`, `/\host`, `/\thost` and their encoded spellings as another host, so checking the string
// is never enough; the URL parser resolves whatever spelling came in exactly as a browser would, and the result
// must both stay on the configured origin and read back as the same URL once it is a bare path.

const ROOT = "/";

/**
 * `value` as a path (with query and fragment) on `origin`, or "/" when it would lead anywhere else: another host,
 * another scheme (`javascript:`, `data:`), credentials, or a path a browser would take for a host (`/.//evil`).
 */
export function sameOriginPath(value: unknown, origin: string | URL): string {
  if (typeof value !== "string" || value === "") return ROOT;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return ROOT;
  }
  if (url.origin !== base.origin || url.username !== "" || url.password !== "") return ROOT;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A normalised path can still begin with `//` (from `/.//evil`, `/%2e//evil`), which is a host to a browser.
  if (!path.startsWith("/") || path.startsWith("//")) return ROOT;
  try {
    return new URL(path, base).href === url.href ? path : ROOT;
  } catch {
    return ROOT;
  }
}
