export type SearchParams = Record<string, string | string[] | undefined>;

export function flatParams(params: SearchParams): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const value = Array.isArray(v) ? v[0] : v;
    // `?toString=x` or `?hasOwnProperty=x` would shadow Object's methods for every reader of these params (and
    // `__proto__` would not even be a key); CacheDeck has no parameter by such a name, so they are dropped.
    if (value && !(k in Object.prototype)) flat[k] = value;
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
