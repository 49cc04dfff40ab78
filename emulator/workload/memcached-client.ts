import net from "node:net";

type Pending = { kind: "get" | "set"; resolve: (hit: boolean) => void; reject: (error: Error) => void };

/**
 * A minimal pipelined Memcached text-protocol connection: `get` and `set`, replies matched to requests in order.
 * The demo's traffic needs nothing more, and no Memcached client library is in the project.
 */
class MemcachedConnection {
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];

  constructor(private readonly port: number) {}

  get(key: string): Promise<boolean> {
    return this.send(`get ${key}\r\n`, "get");
  }

  async set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    const head = Buffer.from(`set ${key} 0 ${ttlSeconds} ${value.length}\r\n`);
    await this.send(Buffer.concat([head, value, Buffer.from("\r\n")]), "set");
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private send(data: string | Buffer, kind: Pending["kind"]): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ kind, resolve, reject });
      this.connection().write(data);
    });
  }

  private connection(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect({ host: "127.0.0.1", port: this.port });
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    const fail = (error: Error) => {
      if (this.socket === socket) this.socket = undefined;
      this.buffer = Buffer.alloc(0);
      for (const p of this.pending.splice(0)) p.reject(error);
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error(`memcached on port ${this.port} closed the connection`)));
    this.socket = socket;
    return socket;
  }

  /** Resolves every request whose whole reply has arrived. */
  private drain(): void {
    for (;;) {
      const head = this.pending[0];
      const lineEnd = this.buffer.indexOf("\r\n");
      if (!head || lineEnd < 0) return;
      const line = this.buffer.subarray(0, lineEnd).toString("latin1");
      if (/^(ERROR|CLIENT_ERROR|SERVER_ERROR)/.test(line)) {
        this.consume(lineEnd + 2);
        this.pending.shift()!.reject(new Error(`memcached on port ${this.port}: ${line}`));
        continue;
      }
      if (head.kind === "set") {
        this.consume(lineEnd + 2);
        this.pending.shift()!.resolve(line === "STORED");
        continue;
      }
      if (line === "END") {
        this.consume(lineEnd + 2);
        this.pending.shift()!.resolve(false);
        continue;
      }
      const value = /^VALUE \S+ \d+ (\d+)/.exec(line);
      if (!value) {
        this.socket?.destroy(new Error(`memcached on port ${this.port}: unexpected reply "${line}"`));
        return;
      }
      const end = lineEnd + 2 + Number(value[1]) + 2 + "END\r\n".length;
      if (this.buffer.length < end) return;
      this.consume(end);
      this.pending.shift()!.resolve(true);
    }
  }

  private consume(bytes: number): void {
    this.buffer = this.buffer.subarray(bytes);
  }
}

/** Spreads keys over a cluster's nodes by hash, as Memcached clients do. */
export class MemcachedClient {
  private readonly connections: MemcachedConnection[];

  constructor(ports: number[]) {
    this.connections = ports.map((port) => new MemcachedConnection(port));
  }

  get(key: string): Promise<boolean> {
    return this.node(key).get(key);
  }

  set(key: string, value: Buffer, ttlSeconds: number): Promise<void> {
    return this.node(key).set(key, value, ttlSeconds);
  }

  close(): void {
    for (const c of this.connections) c.close();
  }

  private node(key: string): MemcachedConnection {
    // FNV-1a
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
    return this.connections[hash % this.connections.length];
  }
}
