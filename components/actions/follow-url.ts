/** The cluster page, refreshing every few seconds, where the change recorded as `auditId` is followed. */
export function followUrl(region: string, replicationGroupId: string, auditId: number): string {
  return `/clusters/${region}/${encodeURIComponent(replicationGroupId)}?refresh=5&operation=${auditId}`;
}
