/** The cluster page, refreshing every few seconds, where a change is followed until the group is available again. */
export function followUrl(region: string, replicationGroupId: string): string {
  return `/clusters/${region}/${encodeURIComponent(replicationGroupId)}?refresh=5`;
}
