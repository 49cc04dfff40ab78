import type { ComponentFactory } from "../component";
import { AlarmBook } from "./alarms/alarm-book";
import { DEFAULT_INTERVAL_MS, MetricsCollector } from "./collector";
import { MetricStore } from "./metric-store";
import { HistorySeeder } from "./seeding";
import { cloudwatchService } from "./service";
import { SimulatedMetrics } from "./simulated-metrics";

/** Sampling interval of the collector: CACHEDECK_METRICS_INTERVAL_MS, else 5 s. */
export function metricsIntervalFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.CACHEDECK_METRICS_INTERVAL_MS;
  if (raw === undefined || raw === "") return DEFAULT_INTERVAL_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100) throw new Error(`CACHEDECK_METRICS_INTERVAL_MS must be a whole number of milliseconds, at least 100; got "${raw}"`);
  return ms;
}

/**
 * The emulator's CloudWatch: the API on the shared port, and a collector publishing the fleet's AWS/ElastiCache
 * metrics into the same store (simulated nodes' metrics come from a model, see ./simulated-metrics.ts).
 */
export const cloudwatchComponent: ComponentFactory = ({ controlPlane, dataDir, fleet, fleetPlace, log, options }) => {
  const store = new MetricStore();
  const seeder = new HistorySeeder(store, controlPlane, fleet, fleetPlace, log);
  // Simulated nodes (scale mode) are not sampled: their metrics are computed when asked for.
  const known = (region: string) => controlPlane.store.regionNames().includes(region);
  store.attachModel(
    new SimulatedMetrics(
      {
        cluster: (region, id) => (known(region) ? controlPlane.regionState(region).cacheClusters[id] : undefined),
        clusters: (region) => (known(region) ? Object.values(controlPlane.regionState(region).cacheClusters) : []),
      },
      () => store.nowSeconds(),
    ),
  );
  const collector = new MetricsCollector({
    store,
    nodes: () => controlPlane.listNodesForMetrics(),
    serverlessEcpuLimit: (region, name) => {
      const limits = controlPlane.regionState(region).serverlessCaches[name]?.cacheUsageLimits as { ECPUPerSecond?: { Maximum?: number } } | undefined;
      return limits?.ECPUPerSecond?.Maximum;
    },
    intervalMs: options.metricsIntervalMs ?? metricsIntervalFromEnv(),
    log,
  });
  collector.start();
  log(`metrics: sampling every node every ${collector.intervalMs} ms`);
  const alarms = new AlarmBook({ store, accountId: controlPlane.accountId, dataDir });
  // Alarms are judged on each collection tick (AWS does it every minute): a state follows the metric within a tick
  // of a period's end, and the cost is a few aggregates per alarm.
  const evaluator = setInterval(() => {
    try {
      alarms.evaluateAll();
    } catch (error) {
      log(`alarms: evaluation failed: ${(error as Error).message}`);
    }
  }, collector.intervalMs);
  evaluator.unref();
  return {
    services: [cloudwatchService(store, alarms)],
    stop: () => {
      clearInterval(evaluator);
      seeder.stop();
      return collector.stop();
    },
  };
};
