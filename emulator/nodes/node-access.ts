import fs from "node:fs";
import type { RedisOptions } from "ioredis";

// How to reach a Redis node the emulator runs: plain text, or TLS with the data dir's CA, and the AUTH password.
// Every emulator client of a node (the supervisor's health check, replication, failover, the collectors, the
// workload, resharding) addresses it by port, so the supervisor records each TLS or AUTH node's access here when it
// binds the port and forgets it when the process ends; redisClientOptions() turns it into ioredis options.

export interface NodeAccess {
  /** The CA file that signed the node's certificate; absent for a plain-text node. */
  caFile?: string;
  /** The AUTH token clients send (the current one). */
  password?: string;
}

/** How a node is started: TLS only (with the data dir's certificates) and its AUTH tokens, as its cache's settings say. */
export interface NodeSecurity {
  tls: boolean;
  /** Every token the node accepts (two during an AUTH token rotation); the first is the one replicas send. */
  passwords: string[];
}

const byPort = new Map<number, { password?: string; ca?: Buffer }>();

export function setNodeAccess(port: number, access: NodeAccess): void {
  if (!access.caFile && !access.password) {
    byPort.delete(port);
    return;
  }
  byPort.set(port, { password: access.password, ca: access.caFile ? fs.readFileSync(access.caFile) : undefined });
}

export function setNodePassword(port: number, password: string | undefined): void {
  const access = byPort.get(port);
  if (access) access.password = password;
  else if (password) byPort.set(port, { password });
}

export function forgetNodeAccess(port: number): void {
  byPort.delete(port);
}

/** The ioredis options for 127.0.0.1:port: TLS trusting the emulator's CA, and the password, when the node has them. */
export function redisClientOptions(port: number): Pick<RedisOptions, "tls" | "password"> {
  const access = byPort.get(port);
  if (!access) return {};
  return { password: access.password, tls: access.ca ? { ca: access.ca } : undefined };
}
