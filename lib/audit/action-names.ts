// Audit names follow DESIGN's "<resource>.<action file>" convention. Records written before a rename keep their old
// name in the database; they are read, listed and filtered under the current one, and a bookmarked filter with the
// old name still finds both.

// A Map, not an object: the name comes from the URL, and `renamed["__proto__"]` would be Object.prototype.
const renamed: ReadonlyMap<string, string> = new Map([
  ["drill.start", "cluster.start-drill"],
  ["drill.abort", "cluster.abort-drill"],
]);

/** The current name of an action, whichever name its record was written with. */
export function currentActionName(name: string): string {
  return renamed.get(name) ?? name;
}

/** Every name a record of this action may carry. */
export function recordedActionNames(name: string): string[] {
  const current = currentActionName(name);
  return [current, ...[...renamed].filter(([, now]) => now === current).map(([old]) => old)];
}
