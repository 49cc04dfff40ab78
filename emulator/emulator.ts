import path from "node:path";
import { cloudwatchComponent } from "./cloudwatch/component";
import type { Account } from "./accounts";
import type { ComponentFactory, EmulatorComponent, EmulatorContext, EmulatorOptions } from "./component";
import { lockDataDir } from "./data-dir-lock";
import { ElastiCacheControlPlane } from "./elasticache/control-plane";
import { ReservedNodeBook } from "./elasticache/reserved-nodes";
import { elasticacheService } from "./elasticache/service";
import { restoreFleet } from "./elasticache/workflows/lifecycle";
import { NodeRecovery } from "./elasticache/workflows/node-recovery";
import { faultsComponent } from "./faults/component";
import { fleetAccounts, loadFleet, readFleetFile, type AccountFleet } from "./fleet";
import { ADMIN_PATH, createApiServer, listen, type ExtraRoute } from "./server/http-server";
import { rpcProtocols } from "./server/protocols";
import { restJsonProtocol } from "./server/rest-json-protocol";
import { pricingComponent } from "./pricing/component";
import type { ServiceDefinition } from "./server/service";
import { StsSessions } from "./sts/sessions";
import { stsService } from "./sts/service";
import { taggingComponent } from "./tagging/component";
import { workloadComponent } from "./workload/component";

const elasticacheComponent: ComponentFactory = ({ controlPlane, fleet }) => ({
  services: [elasticacheService(controlPlane, new ReservedNodeBook(Object.entries(fleet?.regions ?? {}).map(([region, r]) => [region, r.reservedCacheNodes]), new Date()))],
});

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
  pricingComponent,
  cloudwatchComponent,
  workloadComponent,
];

export interface RunningEmulator {
  url: string;
  port: number;
  /** The default (first) account's control plane. */
  controlPlane: ElastiCacheControlPlane;
  /** Every account's control plane, by account id, the default one first. */
  controlPlanes: ReadonlyMap<string, ElastiCacheControlPlane>;
  /** Stops serving, then every part, then every node process. Safe to call twice. */
  stop(): Promise<void>;
}

/** One account's world: its control plane (caches, processes, events, tags) and the parts working on it. */
interface AccountWorld {
  account: Account;
  controlPlane: ElastiCacheControlPlane;
  components: EmulatorComponent[];
  services: ServiceDefinition[];
}

/**
 * Starts the emulator: for each account of the fleet (one when it declares none), stops node processes a killed
 * predecessor left, brings the saved fleet back and creates what the fleet file adds; then serves every account on
 * one port, STS included, 127.0.0.1 only.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const fleet = options.fleetFile ? readFleetFile(options.fleetFile) : undefined;
  const settings = { ...(fleet?.nodeQuotaPerRegion ? { nodeQuotaPerRegion: fleet.nodeQuotaPerRegion } : {}), ...options.settings };
  const unlock = lockDataDir(dataDir);
  const worlds: AccountWorld[] = [];
  try {
    const declared = fleetAccounts(fleet);
    for (const [index, part] of declared.entries()) {
      // The default account keeps the data dir's top level, so a single-account data dir reads as it always did.
      const accountDir = index === 0 ? dataDir : path.join(dataDir, "accounts", part.account.id);
      const accountLog = declared.length === 1 ? log : (message: string) => log(`[${part.account.name}] ${message}`);
      await startAccount(part, { ...options, dataDir: accountDir, log: accountLog, settings }, worlds);
    }
    const defaultPlane = worlds[0].controlPlane;
    const sessions = StsSessions.open(dataDir, declared.map((d) => d.account), () => defaultPlane.settings.now(), log);
    const sts = stsService(sessions);
    const servicesOf = new Map(worlds.map((w) => [w.account.id, [...w.services, sts]]));
    const services = servicesOf.get(defaultPlane.accountId)!;
    const server = createApiServer({
      services,
      callers: { identify: (headers) => sessions.identify(headers), servicesOf: (account) => servicesOf.get(account) ?? [] },
      protocols: [restJsonProtocol(services), ...rpcProtocols],
      extraRoutes: accountAdminRoutes(worlds),
      originPolicy: options.originPolicy,
      onUnexpectedError: (error) => log(`unexpected error: ${(error as Error).stack ?? error}`),
    });
    const port = await listen(server, options.port);
    let stopping: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      controlPlane: defaultPlane,
      controlPlanes: new Map(worlds.map((w) => [w.account.id, w.controlPlane])),
      stop: () =>
        (stopping ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await stopWorlds(worlds);
          unlock();
        })()),
    };
  } catch (error) {
    await stopWorlds(worlds);
    unlock();
    throw error;
  }
}

/** One account, added to `worlds` (so a failure midway still stops it): its control plane restored, its parts started, its part of the fleet created. */
async function startAccount(part: AccountFleet, options: EmulatorOptions & { log: (message: string) => void }, worlds: AccountWorld[]): Promise<void> {
  const { dataDir, log, fleetFile } = options;
  const controlPlane = new ElastiCacheControlPlane({ dataDir, accountId: part.account.id, log, settings: options.settings });
  const world: AccountWorld = { account: part.account, controlPlane, components: [], services: [] };
  worlds.push(world);
  const reaped = await controlPlane.reapStaleNodes();
  if (reaped > 0) log(`stopped ${reaped} node process(es) left running by an earlier emulator on ${dataDir}`);
  await controlPlane.store.deferSaves(() => restoreFleet(controlPlane));
  const ctx: EmulatorContext = { controlPlane, dataDir, fleet: part.fleet, fleetPlace: part.place, log, options };
  for (const factory of [...COMPONENTS, ...(options.extraComponents ?? [])]) world.components.push(await factory(ctx));
  world.services = world.components.flatMap((c) => c.services ?? []);
  if (part.fleet) {
    const elasticache = world.services.find((s) => s.signingName === "elasticache")!;
    const created = await controlPlane.store.deferSaves(async () => {
      const count = await loadFleet(part.fleet!, elasticache, fleetFile, part.place);
      // Simulated nodes come up within the same turn of the event loop; their "created" saves join this one.
      await new Promise((resolve) => setImmediate(resolve));
      return count;
    });
    log(`fleet ${fleetFile}: ${created} resource(s) created, the rest already existed`);
  }
}

/**
 * The admin routes (/_emulator/…) of the account named by `?account=<id or name>`, the default account's without it.
 * Every account registers the same routes over its own control plane.
 */
function accountAdminRoutes(worlds: AccountWorld[]): ExtraRoute[] {
  return [
    async (req, res, body) => {
      const wanted = new URL(req.url ?? "/", "http://emulator").searchParams.get("account");
      const world = wanted === null ? worlds[0] : worlds.find((w) => w.account.id === wanted || w.account.name === wanted);
      if (!world) {
        if (!(req.url ?? "").startsWith(ADMIN_PATH)) return false;
        const payload = JSON.stringify({ error: { code: "NotFound", message: `No account ${wanted}; the emulator has ${worlds.map((w) => `${w.account.name} (${w.account.id})`).join(", ")}` } });
        res.writeHead(404, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) });
        res.end(payload);
        return true;
      }
      for (const route of world.components.flatMap((c) => c.extraRoutes ?? [])) {
        if (await route(req, res, body)) return true;
      }
      return false;
    },
  ];
}

/** Every account's parts in reverse start order, then its node processes. */
async function stopWorlds(worlds: AccountWorld[]): Promise<void> {
  for (const world of [...worlds].reverse()) {
    for (const component of [...world.components].reverse()) await component.stop?.();
    await world.controlPlane.shutdown();
  }
}
