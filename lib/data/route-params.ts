import "server-only";
import { dashboardConfig } from "@/lib/env";

/** Only configured regions and well-formed ids reach AWS; anything else is a 404 before any call. */
export function validRoute(region: string, id: string): boolean {
  return dashboardConfig().regions.includes(region) && /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(id);
}
