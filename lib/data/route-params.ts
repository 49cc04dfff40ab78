import "server-only";
import { accountsConfig, isConfiguredPlace } from "@/lib/accounts";
import { parsePlaceSegment, placeSegment, type Place } from "@/lib/place";

const idPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/**
 * The place a page's URL segment names ("staging~us-east-1", or a bare region), if CacheDeck shows it: only
 * configured accounts and regions reach AWS, anything else is a 404 before any call. `moved` is true for an old
 * single-account URL (a bare region) once an accounts file names the accounts: the page redirects it to the default
 * account's `canonical` segment, so bookmarks keep working.
 */
export function routePlace(segment: string): { place: Place; canonical: string; moved: boolean } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  const { account, region } = parsePlaceSegment(decoded);
  const place = { account: account ?? accountsConfig().defaultAccount, region };
  if (!isConfiguredPlace(place)) return null;
  const canonical = placeSegment(place);
  return { place, canonical, moved: canonical !== decoded };
}

export function validId(id: string): boolean {
  return idPattern.test(id);
}
