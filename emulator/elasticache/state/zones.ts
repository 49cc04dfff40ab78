// Availability Zones are simulated: a region has the zones "<region>a", "<region>b", … Most AWS regions have three;
// us-east-1 has six. Every node records the zone it was placed in, so zone-aware views and drills have something real
// to work with even though all nodes run on 127.0.0.1.
const ZONE_COUNTS: Readonly<Record<string, number>> = { "us-east-1": 6 };
const DEFAULT_ZONE_COUNT = 3;

export function availabilityZones(region: string): string[] {
  const count = ZONE_COUNTS[region] ?? DEFAULT_ZONE_COUNT;
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

export function isAvailabilityZoneOf(region: string, zone: string): boolean {
  return availabilityZones(region).includes(zone);
}
