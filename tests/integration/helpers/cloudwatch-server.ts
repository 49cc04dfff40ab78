import type { Server } from "node:http";
import { AlarmBook } from "@/emulator/cloudwatch/alarms/alarm-book";
import { MetricStore, type MetricStoreOptions } from "@/emulator/cloudwatch/metric-store";
import { cloudwatchService } from "@/emulator/cloudwatch/service";
import { createApiServer, listen } from "@/emulator/server/http-server";
import { rpcProtocols } from "@/emulator/server/protocols";
import type { RequestContext } from "@/emulator/server/service";

export interface CloudWatchTestServer {
  endpoint: string;
  store: MetricStore;
  alarms: AlarmBook;
  /** Every call the server answered, with the protocol it came by. */
  calls: { operation: string; protocol: RequestContext["protocol"] }[];
  unexpectedErrors: unknown[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free 127.0.0.1 port serving CloudWatch in all three protocols; alarms persist in
 * `alarmsDataDir` when given.
 */
export async function startCloudWatchServer(options: MetricStoreOptions = {}, alarmsDataDir?: string): Promise<CloudWatchTestServer> {
  const store = new MetricStore(options);
  const alarms = new AlarmBook({ store, accountId: "000000000000", dataDir: alarmsDataDir });
  const service = cloudwatchService(store, alarms);
  const calls: CloudWatchTestServer["calls"] = [];
  const unexpectedErrors: unknown[] = [];
  const operations = Object.fromEntries(
    Object.entries(service.operations).map(([name, op]) => [
      name,
      (input: Record<string, unknown>, ctx: RequestContext) => {
        calls.push({ operation: name, protocol: ctx.protocol });
        return op(input, ctx);
      },
    ]),
  );
  const server: Server = createApiServer({
    services: [{ ...service, operations }],
    protocols: rpcProtocols,
    onUnexpectedError: (error) => unexpectedErrors.push(error),
  });
  const port = await listen(server, 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    store,
    alarms,
    calls,
    unexpectedErrors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
