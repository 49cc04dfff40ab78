import type { RegionState, Tag } from "./model";

/** Sets a resource's tags; a resource without tags has no entry, as AWS lists none for it. */
export function setTags(state: RegionState, arn: string, tags: Tag[]): void {
  if (tags.length > 0) state.tags[arn] = tags;
  else delete state.tags[arn];
}
