import { CHAIN_ACCOUNT, type Place } from "@/lib/place";

/** A region of the credential chain's own account: where every test without an accounts file reads. */
export function at(region: string): Place {
  return { account: CHAIN_ACCOUNT, region };
}
