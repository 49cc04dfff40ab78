import "server-only";
import { listTags } from "@/lib/aws";

/** Tags change rarely and ElastiCache has no bulk tag read, so each resource's tags are kept for a few minutes. */
const ttlMs = 5 * 60 * 1000;
const cache = new Map<string, { at: number; tags: Promise<Record<string, string>> }>();

export function tagsOf(region: string, arn: string, now = Date.now()): Promise<Record<string, string>> {
  const hit = cache.get(arn);
  if (hit && now - hit.at < ttlMs) return hit.tags;
  const tags = listTags(region, arn);
  cache.set(arn, { at: now, tags });
  tags.catch(() => cache.delete(arn));
  return tags;
}
