import { placeSegment, type Place } from "@/lib/place";

/** The cluster page, refreshing every few seconds, where the change recorded as `auditId` is followed. */
export function followUrl(place: Place, replicationGroupId: string, auditId: number): string {
  return `/clusters/${placeSegment(place)}/${encodeURIComponent(replicationGroupId)}?refresh=5&operation=${auditId}`;
}
