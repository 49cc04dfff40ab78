import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { SHARED_READER_AGENT } from "./shared-reader-agent";

// The reads CacheDeck makes on behalf of everyone — a watcher's polling, a cache page's shared detail feed, the cost
// inputs (reservations, serverless usage, prices) — are told apart from what one person's request makes by a
// User-Agent token: "cachedeck-shared-reader/watcher". AWS CloudTrail records the User-Agent of every call, so an account's owners see which calls are the dashboard's
// background reads and which were a person's action; CacheDeck's own tests count a person's calls the same way.

export type SharedReader = "watcher" | "detail" | "cost";

const reader = new AsyncLocalStorage<SharedReader>();

/** Runs `work` as the shared reader `name`: every AWS call it makes, however deep, carries the token. */
export function asSharedReader<T>(name: SharedReader, work: () => T): T {
  return reader.run(name, work);
}

/** For the clients' middleware: adds the token to the call's User-Agent when a shared reader makes it. */
export function markSharedReader(context: { userAgent?: [name: string, version?: string][] }): void {
  const name = reader.getStore();
  if (name) context.userAgent = [...(context.userAgent ?? []), [SHARED_READER_AGENT, name]];
}
