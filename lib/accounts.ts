import "server-only";
import { accountsConfig } from "@/lib/env";
import { type Place } from "@/lib/place";
import type { Account } from "@/lib/accounts-file";

// The configured accounts (lib/accounts-file.ts, read with the rest of the configuration by lib/env.ts) and the
// places they show. Without an accounts file: the credential chain's own account, "default", in CACHEDECK_REGIONS.

export { accountsConfig } from "@/lib/env";
export { accountNamePattern, type Account, type AccountsConfig, type PeopleRule } from "@/lib/accounts-file";
export { CHAIN_ACCOUNT, placeKey, type Place } from "@/lib/place";

export function findAccount(name: string): Account | undefined {
  return accountsConfig().accounts.find((a) => a.name === name);
}

/** Every account × region the fleet shows, in the file's order. */
export function fleetPlaces(): Place[] {
  return accountsConfig().accounts.flatMap((a) => a.regions.map((region) => ({ account: a.name, region })));
}

/** Whether `place` is one CacheDeck is configured for: only those reach AWS. */
export function isConfiguredPlace(place: Place): boolean {
  return findAccount(place.account)?.regions.includes(place.region) ?? false;
}

/** The role AWS FIS assumes for an AZ power drill in `account`: the account's own, else CACHEDECK_FIS_ROLE_ARN. */
export function fisRoleArnFor(account: string, drills: { fisRoleArn: string }): string {
  return findAccount(account)?.fisRoleArn ?? drills.fisRoleArn;
}
