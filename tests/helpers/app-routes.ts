import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// The app's routes and the query parameters each one reads, derived from the source so that a new page, route
// handler or parameter is covered by the tests that sweep them (tests/e2e/prototype-keys.test.ts) without editing.

const REPO_ROOT = path.resolve(__dirname, "../..");
const APP_DIR = path.join(REPO_ROOT, "app");

export interface AppRoute {
  /** The file under app/, e.g. "clusters/[region]/[id]/page.tsx". */
  file: string;
  kind: "page" | "route";
  /** URL segments, route groups removed; dynamic ones as written ("[region]", "[...nextauth]"). */
  segments: string[];
  /** Names of the query parameters the route or anything it imports reads. */
  parameters: string[];
}

function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? path.join(REPO_ROOT, specifier.slice(2)) : specifier.startsWith(".") ? path.resolve(path.dirname(from), specifier) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

/** The file and every project module it imports, directly or not. */
function moduleClosure(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      const resolved = resolveImport(file, specifier);
      // lib/aws builds AWS requests (their `query.start` is no URL parameter); the emulator is never imported.
      if (resolved && !/[/\\](?:emulator|lib[/\\]aws)[/\\]/.test(resolved)) pending.push(resolved);
    }
  }
  return [...seen];
}

// How the code reads URL parameters: `params.by`, `query.region`, `searchParams.get("format")`, the keys of a
// `…QuerySchema`/`…ParamsSchema` zod object or union, and `const { callbackUrl, error } = await searchParams`.
const READS = [
  /(?<![\w/.])(?:params|query|searchParams|flat)\.(\w+)\b(?!\s*\()/g,
  /(?:params|searchParams)\.(?:get|getAll|has)\("(\w+)"\)/g,
];
const SCHEMA = /\w+(?:Query|Params)Schema\s*=\s*z\s*\.\w+\(([\s\S]*?)\n[\]}]\)/g;
const DESTRUCTURED = /\{([^{}]+)\}\s*=\s*await searchParams/g;

function parametersRead(source: string): string[] {
  const names = new Set<string>();
  for (const pattern of READS) for (const [, name] of source.matchAll(pattern)) names.add(name);
  for (const [, body] of source.matchAll(SCHEMA)) for (const [, name] of body.matchAll(/^\s*(\w+):/gm)) names.add(name);
  for (const [, list] of source.matchAll(DESTRUCTURED)) for (const name of list.split(",")) names.add(name.trim().split(/[:\s=]/)[0]);
  names.delete("");
  return [...names];
}

export function appRoutes(): AppRoute[] {
  const files = (readdirSync(APP_DIR, { recursive: true }) as string[]).filter((f) => /(^|\/)(page\.tsx|route\.ts)$/.test(f)).sort();
  return files.map((file) => {
    const sources = moduleClosure(path.join(APP_DIR, file)).map((f) => readFileSync(f, "utf8"));
    return {
      file,
      kind: file.endsWith("route.ts") ? "route" : "page",
      segments: path.dirname(file).split("/").filter((s) => s !== "." && !/^\(.*\)$/.test(s)),
      parameters: [...new Set(sources.flatMap(parametersRead))].sort(),
    };
  });
}

/** The route's URL with each dynamic segment filled by `fill(segment, index)`; a catch-all's value may hold "/". */
export function routePath(route: AppRoute, fill: (segment: string, index: number) => string): string {
  const encode = (segment: string, i: number) =>
    segment.startsWith("[...") ? fill(segment, i).split("/").map(encodeURIComponent).join("/") : encodeURIComponent(fill(segment, i));
  return `/${route.segments.map((s, i) => (s.startsWith("[") ? encode(s, i) : s)).join("/")}`;
}
