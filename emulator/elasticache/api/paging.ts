import { invalidValue } from "./errors";

export interface Page<T> {
  items: T[];
  /** Present when more items follow; the client sends it back as Marker / NextToken. */
  marker?: string;
}

/**
 * One page of `items`, which must already be in the order the API returns them, ascending (or descending) by `key`.
 * The marker names the last item returned, not a position, so resources created or deleted between two calls
 * neither repeat nor skip the others.
 */
export function pageOf<T>(
  items: readonly T[],
  key: (item: T) => string,
  limit: number,
  marker: string | undefined,
  order: "ascending" | "descending" = "ascending",
): Page<T> {
  let rest = items;
  if (marker) {
    const after = decodeMarker(marker);
    rest = items.filter((item) => (order === "ascending" ? key(item) > after : key(item) < after));
  }
  const page = rest.slice(0, limit);
  return { items: page, marker: rest.length > limit ? encodeMarker(key(page[page.length - 1])) : undefined };
}

function encodeMarker(key: string): string {
  return Buffer.from(`m1:${key}`).toString("base64url");
}

function decodeMarker(marker: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(marker) ? Buffer.from(marker, "base64url").toString("utf8") : "";
  if (!text.startsWith("m1:")) throw invalidValue(`Invalid marker: ${marker}`);
  return text.slice(3);
}
