/**
 * Availability Zones without power (a fault, like AWS FIS's interrupt-az-power). The control plane asks before it
 * starts a replacement node in a zone, and waits for the zone to come back when it is out.
 */
export class ZonePower {
  private readonly outages = new Map<string, { restored: Promise<void>; restore: () => void }>();

  private static key(region: string, zone: string): string {
    return `${region}/${zone}`;
  }

  isPowered(region: string, zone: string): boolean {
    return !this.outages.has(ZonePower.key(region, zone));
  }

  cut(region: string, zone: string): void {
    const key = ZonePower.key(region, zone);
    if (this.outages.has(key)) return;
    let restore!: () => void;
    const restored = new Promise<void>((resolve) => (restore = resolve));
    this.outages.set(key, { restored, restore });
  }

  restore(region: string, zone: string): void {
    const key = ZonePower.key(region, zone);
    const outage = this.outages.get(key);
    if (!outage) return;
    this.outages.delete(key);
    outage.restore();
  }

  /** Resolves at once when the zone has power, otherwise when it is restored. */
  whenPowered(region: string, zone: string): Promise<void> {
    return this.outages.get(ZonePower.key(region, zone))?.restored ?? Promise.resolve();
  }
}
