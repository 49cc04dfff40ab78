// An account and a region: where a cache lives and where an AWS call goes. Pure, so client components may build URLs.

export interface Place {
  /** A name from the accounts file, or "default" for the credential chain's own account (no accounts file). */
  account: string;
  region: string;
}

/** An AWS region name such as us-east-1. */
export const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The account of a deployment without an accounts file, and of old single-account URLs. */
export const CHAIN_ACCOUNT = "default";

// A URL segment naming the place: "staging~us-east-1", or the bare region for the chain's own account, which is
// also what every URL looked like before CacheDeck knew several accounts. "~" is never percent-encoded and appears in
// neither account names nor region names, and one segment keeps /clusters/<place>/<id>/operations unambiguous.
const SEPARATOR = "~";

export function placeSegment(place: Place): string {
  return place.account === CHAIN_ACCOUNT ? place.region : `${place.account}${SEPARATOR}${place.region}`;
}

/** The place a URL segment names; `account` is null for a bare region (an old URL: the default account). */
export function parsePlaceSegment(segment: string): { account: string | null; region: string } {
  const at = segment.indexOf(SEPARATOR);
  return at < 0 ? { account: null, region: segment } : { account: segment.slice(0, at), region: segment.slice(at + 1) };
}

/** Just the account and region of something that has them (an action's input, a drill), for lib/aws. */
export function placeOf(value: Place): Place {
  return { account: value.account, region: value.region };
}

/** A stable string key for maps and guards. */
export function placeKey(place: Place): string {
  return `${place.account}/${place.region}`;
}

/** How a place reads in a sentence: "us-east-1 (staging)"; the chain's own account is just its region. */
export function placeLabel(place: Place): string {
  return place.account === CHAIN_ACCOUNT ? place.region : `${place.region} (${place.account})`;
}
