import type { ElastiCacheControlPlane } from "./elasticache/control-plane";
import type { ControlPlaneSettings } from "./elasticache/state/settings";
import type { Fleet } from "./fleet";
import type { ExtraRoute } from "./server/http-server";
import type { RequestOriginPolicy } from "./server/request-origin";
import type { ServiceDefinition } from "./server/service";

// The contract between the emulator (./emulator.ts) and its parts (*/component.ts), apart from both so that neither
// imports the other.

/** What the emulator's parts share: the control plane (its nodes, its metadata), the data dir and the fleet. */
export interface EmulatorContext {
  controlPlane: ElastiCacheControlPlane;
  dataDir: string;
  /** This account's part of the fleet file (every account has its own context). */
  fleet?: Fleet;
  /** Where that part sits in the file, for messages: "" (no accounts) or "accounts[1]." */
  fleetPlace: string;
  log: (message: string) => void;
  options: EmulatorOptions;
}

/** One part of the emulator: the AWS services it answers on the shared port, admin routes, and how it stops. */
export interface EmulatorComponent {
  services?: ServiceDefinition[];
  extraRoutes?: ExtraRoute[];
  stop?: () => Promise<void> | void;
}

export type ComponentFactory = (ctx: EmulatorContext) => EmulatorComponent | Promise<EmulatorComponent>;

export interface EmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  fleetFile?: string;
  log?: (message: string) => void;
  /** Time scale of paced phases, TestFailover quota, clock (see emulator/elasticache/state/settings.ts). */
  settings?: Partial<ControlPlaneSettings>;
  /** Parts added after COMPONENTS (tests use it to plug in a part under test). */
  extraComponents?: readonly ComponentFactory[];
  /** How often the CloudWatch collector samples every node (default: CACHEDECK_METRICS_INTERVAL_MS, else 5 s). */
  metricsIntervalMs?: number;
  /** Drive the fleet file's demo traffic (default: on unless CACHEDECK_WORKLOAD=off). */
  workload?: boolean;
  /** Web origins and Host names allowed besides loopback ones (default: none); see emulator/server/request-origin.ts. */
  originPolicy?: RequestOriginPolicy;
}
