// The User-Agent product that marks a shared reader's AWS calls (see shared-reader.ts). Apart, without server-only,
// because tools outside the app (the tests' and benchmarks' counting proxy) read it too.

/** The User-Agent product of a shared reader's calls. */
export const SHARED_READER_AGENT = "cachedeck-shared-reader";
