export type SearchParams = Record<string, string | string[] | undefined>;

/**
 * A param worth keeping: not empty, and not named after one of Object's own members. `?toString=x` or
 * `?hasOwnProperty=x` would shadow Object's methods for every reader of these params, and `__proto__` is not even a
 * key of the object Next hands the server (so a page that kept it in the browser would not match the server's HTML);
 * CacheDeck has no parameter by such a name, so they are dropped.
 */
export function keptParam(key: string, value: string | undefined): value is string {
  return Boolean(value) && !(key in Object.prototype);
}

export function flatParams(params: SearchParams): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (keptParam(k, value)) flat[k] = value;
  }
  return flat;
}

/** The current URL's params with some changed (undefined removes one). */
export function withParams(path: string, current: Record<string, string>, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...current, ...changes })) if (v) next.set(k, v);
  const query = next.toString();
  return query ? `${path}?${query}` : path;
}
