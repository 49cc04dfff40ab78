import "server-only";
import { accountsConfig } from "@/lib/env";
import { type Place } from "@/lib/place";
import type { Account } from "@/lib/accounts-file";
import { accountsWhere, type Permission, type RoleHolder } from "@/lib/auth/permissions";

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

/** The fleet's places in the accounts where the person holds `permission` (their role there, lib/auth/permissions.ts). */
export function placesWhere(person: RoleHolder, permission: Permission): Place[] {
  const accounts = new Set(accountsWhere(person, permission, accountsConfig().accounts.map((a) => a.name)));
  return fleetPlaces().filter((place) => accounts.has(place.account));
}

/** Whether `place` is one CacheDeck is configured for: only those reach AWS. */
export function isConfiguredPlace(place: Place): boolean {
  return findAccount(place.account)?.regions.includes(place.region) ?? false;
}

/** The role AWS FIS assumes for an AZ power drill in `account`: the account's own, else CACHEDECK_FIS_ROLE_ARN. */
export function fisRoleArnFor(account: string, drills: { fisRoleArn: string }): string {
  return findAccount(account)?.fisRoleArn ?? drills.fisRoleArn;
}

/**
 * The SNS topic recommended alarms in `place` notify: the account's alarmTopicArn, else CACHEDECK_ALARM_SNS_TOPIC_ARN;
 * null when neither is set. CloudWatch notifies topics of the alarm's own region, so a region other than the
 * configured topic's gets the topic of the same name and account there (create it in each region the fleet shows).
 */
export function alarmTopicFor(place: Place, alarms: { snsTopicArn: string | null }): string | null {
  const configured = findAccount(place.account)?.alarmTopicArn ?? alarms.snsTopicArn;
  if (!configured) return null;
  const [arn, partition, service, , account, name] = configured.split(":");
  return [arn, partition, service, place.region, account, name].join(":");
}
