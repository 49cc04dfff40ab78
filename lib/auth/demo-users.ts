import type { Role } from "@/lib/auth/permissions";

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  /** Null: no role by the global rules, only in the accounts whose rules name them (the demo's accounts file). */
  role: Role | null;
  description: string;
}

// Offered on the sign-in page in demo mode only (CACHEDECK_DEMO=1); the provider refuses them otherwise.
export const demoUsers: readonly DemoUser[] = [
  { id: "demo-viewer", name: "Vera Viewer", email: "viewer@demo.cachedeck.local", role: "viewer", description: "Sees the fleet, clusters and drill reports" },
  { id: "demo-operator", name: "Omar Operator", email: "operator@demo.cachedeck.local", role: "operator", description: "Also runs test failovers and drills" },
  { id: "demo-admin", name: "Ada Admin", email: "admin@demo.cachedeck.local", role: "admin", description: "Also scales clusters and reads the whole audit log" },
  // A viewer whom the demo's accounts file (scripts/demo-accounts.json) makes operator in the staging account only.
  { id: "demo-staging-operator", name: "Sam Staging", email: "staging-operator@demo.cachedeck.local", role: "viewer", description: "Operator in the staging account, viewer in production" },
  // No global role: the demo's accounts file makes her a viewer in staging, so she sees staging and nothing else.
  { id: "demo-staging-only", name: "Stella Staging-only", email: "staging-only@demo.cachedeck.local", role: null, description: "Viewer in the staging account only; production is hidden" },
];

export function findDemoUser(id: unknown): DemoUser | undefined {
  return demoUsers.find((user) => user.id === id);
}
