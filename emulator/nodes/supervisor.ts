import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { ping as memcachedPing } from "./memcached-admin";
import { EMULATOR_DIR_ENV, LOG_FILE, NODE_KEY_ENV, PID_FILE } from "./node-process";
import { allocatePort, isPortFree, reservePort } from "./ports";
import { forgetNodeAccess, setNodeAccess, type NodeAccess, type NodeSecurity } from "./node-access";
import { ping as redisPing } from "./redis-admin";
import { findStalePids, terminatePids } from "./stale-processes";
import { ensureCertificates } from "./tls-certificates";
import { waitFor } from "./wait-for";

export type Engine = "redis" | "memcached";

export interface NodeHandle {
  /** The caller's opaque id, e.g. "us-east-1/orders-001/0001". */
  key: string;
  engine: Engine;
  port: number;
  pid: number;
  startedAt: Date;
  /** The node's own directory: log, pidfile and (cluster mode) nodes.conf. */
  dir: string;
  logFile: string;
}

export interface SupervisorOptions {
  dataDir: string;
  log?: (message: string) => void;
  redisServerPath?: string;
  memcachedPath?: string;
  /** How long a node may take to answer PING / version after it was spawned. */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

export interface RedisNodeOptions {
  key: string;
  /** Tried first (to keep an endpoint stable across emulator restarts); another free port is used if it is taken. */
  port?: number;
  maxmemoryBytes: number;
  /** ElastiCache's default parameter group uses volatile-lru. */
  maxmemoryPolicy?: string;
  clusterEnabled: boolean;
  clusterNodeTimeoutMs?: number;
  /** Discard the node's directory first, so a cluster node starts with a new identity instead of rejoining. */
  resetData?: boolean;
  /** In-transit encryption (TLS only, with the data dir's certificates) and AUTH tokens (the first is current). */
  security?: NodeSecurity;
  /**
   * A non-cluster replica's primary on this host: the process starts as its replica (replicaof in its arguments),
   * so it never answers a write as an empty primary before it is told to follow one.
   */
  replicaOfPort?: number;
}

export interface MemcachedNodeOptions {
  key: string;
  port?: number;
  memoryMB: number;
}

interface LaunchSpec {
  key: string;
  engine: Engine;
  preferredPort?: number;
  binary: string;
  args: (port: number, dir: string) => string[];
  ping: (port: number) => Promise<boolean>;
  resetData?: boolean;
  /** How clients reach a TLS or AUTH node, recorded for its port before the first PING. */
  access?: NodeAccess;
}

interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface RunningNode {
  handle: NodeHandle;
  child: ChildProcess;
  exited: Promise<ExitInfo>;
  /** Set by stop(): the exit was asked for, so no "exit" event. */
  stopping: boolean;
}

class PortInUseError extends Error {}

const MAX_PORT_ATTEMPTS = 5;
const DEFAULT_CLUSTER_NODE_TIMEOUT_MS = 2_000;

/** A directory name for a key: readable, filesystem-safe, and unique even when two keys sanitise alike. */
export function nodeDirName(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
  return `${readable}-${createHash("sha1").update(key).digest("hex").slice(0, 8)}`;
}

/**
 * Runs redis-server and memcached processes on 127.0.0.1 and tells the caller when one dies unasked.
 * Knows nothing of AWS: the control plane names nodes with opaque keys and keeps its own metadata.
 *
 * Events: "exit" (key, code, signal) for every exit not requested through stop() — kill() included, since it
 * stands for a fault the control plane must react to.
 */
export class NodeSupervisor extends EventEmitter {
  readonly dataDir: string;
  private readonly nodes = new Map<string, RunningNode>();
  private readonly starting = new Set<string>();
  private readonly log: (message: string) => void;
  private readonly redisServerPath: string;
  private readonly memcachedPath: string;
  private readonly readyTimeoutMs: number;
  private readonly stopGraceMs: number;

  constructor(options: SupervisorOptions) {
    super();
    this.dataDir = path.resolve(options.dataDir);
    this.log = options.log ?? (() => {});
    this.redisServerPath = options.redisServerPath ?? "redis-server";
    this.memcachedPath = options.memcachedPath ?? "memcached";
    this.readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
    this.stopGraceMs = options.stopGraceMs ?? 3_000;
  }

  startRedis(options: RedisNodeOptions): Promise<NodeHandle> {
    const cluster = options.clusterEnabled
      ? [
          ...["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"],
          ...["--cluster-node-timeout", String(options.clusterNodeTimeoutMs ?? DEFAULT_CLUSTER_NODE_TIMEOUT_MS)],
          // ElastiCache never moves a replica to another shard on its own; the control plane owns the topology.
          ...["--cluster-allow-replica-migration", "no"],
        ]
      : [];
    const { args: security, access } = this.securityArgs(options.security, options.clusterEnabled);
    return this.start({
      key: options.key,
      engine: "redis",
      access,
      preferredPort: options.port,
      binary: this.redisServerPath,
      resetData: options.resetData,
      ping: redisPing,
      args: (port, dir) => [
        ...(access?.caFile ? ["--port", "0", "--tls-port", String(port)] : ["--port", String(port)]),
        ...["--bind", "127.0.0.1", "--protected-mode", "no", "--daemonize", "no"],
        ...["--dir", dir, "--logfile", ""],
        // Cache contents are not kept: no RDB snapshots, no AOF, and full syncs stream straight to the replica.
        ...["--save", "", "--appendonly", "no"],
        ...["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0", "--repl-diskless-load", "on-empty-db"],
        // Primaries ping replicas every second (not 10): replication offsets, and the lag computed from them, move
        // even when idle, and a cluster lists a replica in CLUSTER SLOTS only once its offset is non-zero.
        ...["--repl-ping-replica-period", "1"],
        ...["--maxmemory", String(Math.max(1, Math.round(options.maxmemoryBytes)))],
        ...["--maxmemory-policy", options.maxmemoryPolicy ?? "volatile-lru"],
        // A stopping primary would otherwise wait up to 10 s for lagging replicas.
        ...["--shutdown-timeout", "0"],
        // Rewriting the process title clobbers /proc/<pid>/environ, where reapStale looks for our marker.
        ...["--set-proc-title", "no"],
        ...cluster,
        ...security,
        ...(options.replicaOfPort === undefined ? [] : ["--replicaof", "127.0.0.1", String(options.replicaOfPort)]),
      ],
    });
  }

  /**
   * redis-server's own TLS on the node's port (no plain-text port; replication and the cluster bus over TLS too; no
   * client certificates asked for, as on ElastiCache) and the AUTH tokens as the default user's passwords, with the
   * current one as masterauth so replicas authenticate to their primary.
   */
  private securityArgs(security: NodeSecurity | undefined, clusterEnabled: boolean): { args: string[]; access?: NodeAccess } {
    if (!security || (!security.tls && security.passwords.length === 0)) return { args: [] };
    const args: string[] = [];
    let caFile: string | undefined;
    if (security.tls) {
      const certs = ensureCertificates(this.dataDir);
      caFile = certs.caFile;
      args.push(...["--tls-cert-file", certs.certFile, "--tls-key-file", certs.keyFile, "--tls-ca-cert-file", certs.caFile]);
      args.push(...["--tls-auth-clients", "no", "--tls-replication", "yes"], ...(clusterEnabled ? ["--tls-cluster", "yes"] : []));
    }
    if (security.passwords.length > 0) {
      args.push("--user", "default", "on", "resetpass", ...security.passwords.map((p) => `>${p}`), "~*", "&*", "+@all");
      args.push("--masterauth", security.passwords[0]);
    }
    return { args, access: { caFile, password: security.passwords[0] } };
  }

  startMemcached(options: MemcachedNodeOptions): Promise<NodeHandle> {
    // memcached refuses to run as root unless told which user to stay.
    const user = process.getuid?.() === 0 ? ["-u", "root"] : [];
    const memoryMB = Math.max(1, Math.round(options.memoryMB));
    // Its largest item (1 MiB by default) must stay under half the memory, which the smallest node types are not.
    const itemLimit = memoryMB < 2 ? ["-I", "512k"] : [];
    return this.start({
      key: options.key,
      engine: "memcached",
      preferredPort: options.port,
      binary: this.memcachedPath,
      ping: memcachedPing,
      args: (port) => [
        ...["-l", "127.0.0.1", "-p", String(port), "-U", "0"],
        ...["-m", String(memoryMB), "-t", "2"],
        ...itemLimit,
        ...user,
      ],
    });
  }

  get(key: string): NodeHandle | undefined {
    return this.nodes.get(key)?.handle;
  }

  list(): NodeHandle[] {
    return [...this.nodes.values()].map((node) => node.handle);
  }

  /** Graceful stop (SIGTERM, then SIGKILL after the grace period); resolves once the process is gone. */
  async stop(key: string): Promise<void> {
    const node = this.nodes.get(key);
    if (!node) return;
    node.stopping = true;
    node.child.kill("SIGTERM");
    const killTimer = setTimeout(() => node.child.kill("SIGKILL"), this.stopGraceMs);
    await node.exited;
    clearTimeout(killTimer);
    this.log(`stopped ${node.handle.engine} node ${key} (port ${node.handle.port})`);
  }

  /** SIGKILL now, as a fault: the "exit" event fires. Resolves once the process is gone. */
  async kill(key: string): Promise<void> {
    const node = this.nodes.get(key);
    if (!node) throw new Error(`no running node "${key}"`);
    node.child.kill("SIGKILL");
    await node.exited;
  }

  /** Stops the node if it runs and deletes its directory (log, pidfile, cluster identity). */
  async remove(key: string): Promise<void> {
    await this.stop(key);
    fs.rmSync(path.join(this.dataDir, "nodes", nodeDirName(key)), { recursive: true, force: true });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.nodes.keys()].map((key) => this.stop(key)));
  }

  /**
   * Stops node processes that an earlier emulator on this data dir left running (it was SIGKILLed, so it could not
   * stop them). Processes of other data dirs are never touched. Returns how many were stopped.
   */
  async reapStale(): Promise<number> {
    const ours = new Set([...this.nodes.values()].map((node) => node.handle.pid));
    const pids = findStalePids(this.dataDir, ours);
    if (pids.length === 0) return 0;
    this.log(`stopping ${pids.length} node process(es) left by a previous emulator: ${pids.join(", ")}`);
    await terminatePids(pids, this.stopGraceMs);
    return pids.length;
  }

  private async start(spec: LaunchSpec): Promise<NodeHandle> {
    if (this.nodes.has(spec.key) || this.starting.has(spec.key)) {
      throw new Error(`node "${spec.key}" is already running or starting`);
    }
    this.starting.add(spec.key);
    try {
      const dir = path.join(this.dataDir, "nodes", nodeDirName(spec.key));
      if (spec.resetData) fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (let attempt = 1; ; attempt++) {
        const port = await this.choosePort(attempt === 1 ? spec.preferredPort : undefined);
        try {
          return await this.launch(spec, port, dir);
        } catch (error) {
          if (!(error instanceof PortInUseError) || attempt >= MAX_PORT_ATTEMPTS) throw error;
          this.log(`port ${port} was taken before ${spec.key} could bind it; retrying on another port`);
        }
      }
    } finally {
      this.starting.delete(spec.key);
    }
  }

  private async choosePort(preferred: number | undefined): Promise<number> {
    if (preferred && (await isPortFree(preferred))) {
      reservePort(preferred);
      return preferred;
    }
    return allocatePort();
  }

  private async launch(spec: LaunchSpec, port: number, dir: string): Promise<NodeHandle> {
    const logFile = path.join(dir, LOG_FILE);
    const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const logFd = fs.openSync(logFile, "a");
    if (spec.access) setNodeAccess(port, spec.access);
    let child: ChildProcess;
    try {
      // Own process group: a Ctrl-C meant for the emulator must not kill the nodes behind the supervisor's back.
      child = spawn(spec.binary, spec.args(port, dir), {
        stdio: ["ignore", logFd, logFd],
        detached: true,
        env: { ...process.env, [EMULATOR_DIR_ENV]: this.dataDir, [NODE_KEY_ENV]: spec.key },
      });
    } finally {
      fs.closeSync(logFd);
    }
    const spawnFailed = new Promise<Error>((resolve) => child.once("error", resolve));
    const exited = new Promise<ExitInfo>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    const describe = `${spec.engine} node ${spec.key} on port ${port}`;

    // Once the process has exited there is nothing left to ping; `settled` ends the poller early.
    let settled = false;
    const outcome = await Promise.race([
      waitFor(() => settled || spec.ping(port), { timeoutMs: this.readyTimeoutMs, intervalMs: 50, description: `${describe} to answer` })
        .then(() => "ready" as const)
        .catch(() => "timeout" as const),
      exited.then((exit) => exit),
      spawnFailed.then((error) => error),
    ]);
    settled = true;

    if (outcome === "ready") {
      const pid = child.pid as number;
      const handle: NodeHandle = { key: spec.key, engine: spec.engine, port, pid, startedAt: new Date(), dir, logFile };
      const node: RunningNode = { handle, child, exited, stopping: false };
      this.nodes.set(spec.key, node);
      fs.writeFileSync(path.join(dir, PID_FILE), `${pid}\n`);
      void exited.then((exit) => this.onExit(node, exit));
      this.log(`started ${describe} (pid ${pid})`);
      return handle;
    }
    if (outcome instanceof Error) {
      const hint = (outcome as NodeJS.ErrnoException).code === "ENOENT" ? " — is it installed? run `npm run setup`" : "";
      throw new Error(`could not start ${spec.binary} for ${spec.key}: ${outcome.message}${hint}`);
    }
    if (outcome === "timeout") {
      child.kill("SIGKILL");
      await exited;
    }
    forgetNodeAccess(port);
    const tail = readSince(logFile, logOffset);
    if (/address already in use/i.test(tail)) throw new PortInUseError(`port ${port} in use`);
    const why = outcome === "timeout" ? `did not answer within ${this.readyTimeoutMs} ms` : `exited (${formatExit(outcome)})`;
    throw new Error(`${describe} ${why}; last lines of ${logFile}:\n${tail}`);
  }

  private onExit(node: RunningNode, exit: ExitInfo): void {
    forgetNodeAccess(node.handle.port);
    const { key } = node.handle;
    if (this.nodes.get(key) === node) this.nodes.delete(key);
    fs.rmSync(path.join(node.handle.dir, PID_FILE), { force: true });
    if (node.stopping) return;
    this.log(`${node.handle.engine} node ${key} (port ${node.handle.port}) exited unexpectedly: ${formatExit(exit)}`);
    this.emit("exit", key, exit.code, exit.signal);
  }
}

function formatExit({ code, signal }: ExitInfo): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/** The last lines a node wrote during this launch (the log file is shared by every start of the node). */
function readSince(file: string, offset: number, maxLines = 15): string {
  try {
    const text = fs.readFileSync(file).subarray(offset).toString("utf8").trimEnd();
    return text.split("\n").slice(-maxLines).join("\n");
  } catch {
    return "";
  }
}
