import Redis from "ioredis";
import { redisClientOptions, setNodePassword } from "./node-access";
import { waitFor, type WaitOptions } from "./wait-for";

export { waitFor, WaitTimeoutError, type WaitOptions } from "./wait-for";

// Admin connections are short-lived and must never hang the control plane: no reconnects, no offline queue
// beyond the connect itself, and a command timeout.
const CONNECT_TIMEOUT_MS = 1_000;
const COMMAND_TIMEOUT_MS = 5_000;

/** A connected admin client for 127.0.0.1:port (over TLS and with the AUTH token when the node has them); the caller must disconnect() it. */
export async function connectAdmin(port: number, { commandTimeoutMs = COMMAND_TIMEOUT_MS } = {}): Promise<Redis> {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    ...redisClientOptions(port),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  // Failures surface as rejected commands; without a listener ioredis would also print them.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** Runs `fn` on a fresh connection to 127.0.0.1:port and always disconnects. */
export async function withRedis<T>(
  port: number,
  fn: (client: Redis) => Promise<T>,
  options: { commandTimeoutMs?: number } = {},
): Promise<T> {
  const client = await connectAdmin(port, options);
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

export async function ping(port: number): Promise<boolean> {
  try {
    return (await withRedis(port, (c) => c.ping())) === "PONG";
  } catch {
    return false;
  }
}

/** INFO output as a flat map ("role" → "master"); section headers and blank lines dropped. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

export async function info(port: number, section?: string): Promise<Record<string, string>> {
  const text = await withRedis(port, (c) => (section ? c.info(section) : c.info()));
  return parseInfo(text);
}

export async function configSet(port: number, parameter: string, value: string): Promise<void> {
  await withRedis(port, (c) => c.config("SET", parameter, value));
}

/**
 * Makes `passwords` the default user's (two during an AUTH token rotation) and the first the one this node sends its
 * primary; later connections authenticate with the first. The connection that changes them is already authenticated.
 */
export async function changePasswords(port: number, passwords: string[]): Promise<void> {
  await withRedis(port, async (c) => {
    await c.call("ACL", "SETUSER", "default", "on", "resetpass", ...passwords.map((p) => `>${p}`));
    await c.config("SET", "masterauth", passwords[0]);
  });
  setNodePassword(port, passwords[0]);
}

export async function replicaOf(replicaPort: number, primaryPort: number, primaryHost = "127.0.0.1"): Promise<void> {
  await withRedis(replicaPort, (c) => c.replicaof(primaryHost, primaryPort));
}

export async function promoteToPrimary(port: number): Promise<void> {
  await withRedis(port, (c) => c.replicaof("NO", "ONE"));
}

export interface ReplicaLink {
  host: string;
  port: number;
  /** online, wait_bgsave, send_bulk, … as the primary reports it. */
  state: string;
  offset: number;
  /** Seconds since the replica last acknowledged, as the primary reports it. */
  lagSeconds: number;
  /** How many bytes of the replication stream the replica has not acknowledged yet. */
  lagBytes: number;
}

export interface ReplicationStatus {
  role: "master" | "slave";
  /** The node's own position in the replication stream (master_repl_offset). */
  replOffset: number;
  /** Replicas only. */
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: "up" | "down";
  masterSyncInProgress?: boolean;
  /** Replicas only: the offset the replica has processed. */
  replicaOffset?: number;
  /** Primaries only: one entry per connected replica. */
  replicas: ReplicaLink[];
}

function parseReplicaLine(value: string, masterOffset: number): ReplicaLink {
  const fields = Object.fromEntries(value.split(",").map((pair) => pair.split("=") as [string, string]));
  const offset = Number(fields.offset ?? 0);
  return {
    host: fields.ip ?? "",
    port: Number(fields.port ?? 0),
    state: fields.state ?? "",
    offset,
    lagSeconds: Number(fields.lag ?? 0),
    lagBytes: Math.max(0, masterOffset - offset),
  };
}

export function parseReplication(fields: Record<string, string>): ReplicationStatus {
  const replOffset = Number(fields.master_repl_offset ?? 0);
  const replicas = Object.keys(fields)
    .filter((key) => /^slave\d+$/.test(key))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((key) => parseReplicaLine(fields[key], replOffset));
  if (fields.role !== "slave") return { role: "master", replOffset, replicas };
  return {
    role: "slave",
    replOffset,
    masterHost: fields.master_host,
    masterPort: Number(fields.master_port),
    masterLinkStatus: fields.master_link_status === "up" ? "up" : "down",
    masterSyncInProgress: fields.master_sync_in_progress === "1",
    replicaOffset: Number(fields.slave_repl_offset ?? 0),
    replicas,
  };
}

export async function replicationStatus(port: number): Promise<ReplicationStatus> {
  return parseReplication(await info(port, "replication"));
}

export async function waitForReplicationUp(replicaPort: number, options: WaitOptions = {}): Promise<ReplicationStatus> {
  return waitFor(
    async () => {
      const status = await replicationStatus(replicaPort);
      return status.role === "slave" && status.masterLinkStatus === "up" && !status.masterSyncInProgress ? status : false;
    },
    { timeoutMs: 15_000, description: `replica on port ${replicaPort} to report master_link_status:up`, ...options },
  );
}

/**
 * Resolves when every replica connected to the primary is online and has acknowledged everything the primary had
 * written when the call began. (Not "lag 0": the primary pings its replicas every second, so its offset keeps moving
 * ahead of the last acknowledgement even when nothing is written.)
 */
export async function waitForReplicasCaughtUp(
  primaryPort: number,
  { expectedReplicas, ...options }: WaitOptions & { expectedReplicas?: number } = {},
): Promise<ReplicationStatus> {
  const target = (await replicationStatus(primaryPort)).replOffset;
  return waitFor(
    async () => {
      const status = await replicationStatus(primaryPort);
      const enough = expectedReplicas === undefined || status.replicas.length >= expectedReplicas;
      return enough && status.replicas.every((r) => r.state === "online" && r.offset >= target) ? status : false;
    },
    { timeoutMs: 15_000, description: `replicas of ${primaryPort} to acknowledge offset ${target}`, ...options },
  );
}
