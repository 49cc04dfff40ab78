import path from "node:path";
import { cloudwatchComponent } from "./cloudwatch/component";
import type { ComponentFactory, EmulatorComponent, EmulatorContext, EmulatorOptions } from "./component";
import { lockDataDir } from "./data-dir-lock";
import { ElastiCacheControlPlane } from "./elasticache/control-plane";
import { elasticacheService } from "./elasticache/service";
import { restoreFleet } from "./elasticache/workflows/lifecycle";
import { NodeRecovery } from "./elasticache/workflows/node-recovery";
import { faultsComponent } from "./faults/component";
import { loadFleet, readFleetFile } from "./fleet";
import { createApiServer, listen } from "./server/http-server";
import { rpcProtocols } from "./server/protocols";
import { restJsonProtocol } from "./server/rest-json-protocol";
import { taggingComponent } from "./tagging/component";
import { workloadComponent } from "./workload/component";

const elasticacheComponent: ComponentFactory = ({ controlPlane }) => ({ services: [elasticacheService(controlPlane)] });

/** Automatic failover and node replacement when a node dies unasked. */
const nodeRecoveryComponent: ComponentFactory = ({ controlPlane }) => {
  new NodeRecovery(controlPlane);
  return {};
};

/** Every part the emulator runs, in start order (stopped in reverse). CloudWatch and demo traffic add theirs here. */
export const COMPONENTS: readonly ComponentFactory[] = [
  elasticacheComponent,
  nodeRecoveryComponent,
  faultsComponent,
  taggingComponent,
  cloudwatchComponent,
  workloadComponent,
];

export interface RunningEmulator {
  url: string;
  port: number;
  controlPlane: ElastiCacheControlPlane;
  /** Stops serving, then every part, then every node process. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the emulator: stops node processes a killed predecessor left on this data dir, brings the saved fleet back,
 * creates what the fleet file adds, then serves on 127.0.0.1.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const fleet = options.fleetFile ? readFleetFile(options.fleetFile) : undefined;
  const settings = { ...(fleet?.nodeQuotaPerRegion ? { nodeQuotaPerRegion: fleet.nodeQuotaPerRegion } : {}), ...options.settings };
  const controlPlane = new ElastiCacheControlPlane({ dataDir, log, settings });
  const components: EmulatorComponent[] = [];
  const unlock = lockDataDir(dataDir);
  try {
    const reaped = await controlPlane.reapStaleNodes();
    if (reaped > 0) log(`stopped ${reaped} node process(es) left running by an earlier emulator on ${dataDir}`);
    await controlPlane.store.deferSaves(() => restoreFleet(controlPlane));
    const ctx: EmulatorContext = { controlPlane, dataDir, fleet, log, options };
    for (const factory of [...COMPONENTS, ...(options.extraComponents ?? [])]) components.push(await factory(ctx));
    const services = components.flatMap((c) => c.services ?? []);
    if (fleet) {
      const elasticache = services.find((s) => s.signingName === "elasticache")!;
      const created = await controlPlane.store.deferSaves(async () => {
        const count = await loadFleet(fleet, elasticache, options.fleetFile);
        // Simulated nodes come up within the same turn of the event loop; their "created" saves join this one.
        await new Promise((resolve) => setImmediate(resolve));
        return count;
      });
      log(`fleet ${options.fleetFile}: ${created} resource(s) created, the rest already existed`);
    }
    const server = createApiServer({
      services,
      protocols: [restJsonProtocol(services), ...rpcProtocols],
      extraRoutes: components.flatMap((c) => c.extraRoutes ?? []),
      originPolicy: options.originPolicy,
      onUnexpectedError: (error) => log(`unexpected error: ${(error as Error).stack ?? error}`),
    });
    const port = await listen(server, options.port);
    let stopping: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      controlPlane,
      stop: () =>
        (stopping ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await stopComponents(components);
          await controlPlane.shutdown();
          unlock();
        })()),
    };
  } catch (error) {
    await stopComponents(components);
    await controlPlane.shutdown();
    unlock();
    throw error;
  }
}

async function stopComponents(components: EmulatorComponent[]): Promise<void> {
  for (const component of [...components].reverse()) await component.stop?.();
}
