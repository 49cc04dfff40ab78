export interface Page<T> {
  items: T[] | undefined;
  /** The Marker or NextToken for the next page; absent on the last page. */
  next: string | undefined;
}

/** More pages than any real account has; reaching it means the service keeps handing out tokens. */
const maxPages = 1_000;

/**
 * Follows Marker/NextToken paging to the end and returns every item, in order. `between`, when given, is awaited
 * before each page after the first: a background re-read paces its pages with it instead of sending them at once.
 */
export async function drainPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, between?: () => Promise<void>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await fetchPage(token);
    items.push(...(result.items ?? []));
    if (!result.next) return items;
    if (seen.has(result.next)) throw new Error(`paging token ${result.next} was returned twice`);
    seen.add(result.next);
    token = result.next;
    await between?.();
  }
  throw new Error(`gave up after ${maxPages} pages`);
}
